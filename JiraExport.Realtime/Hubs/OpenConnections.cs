using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace JiraExport.Realtime.Hubs;

/// <summary>The hub connections this instance holds, so their credentials can be checked again while they stay open.</summary>
public sealed class OpenConnections
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();

    public void Add(HubCallerContext context) => _connections[context.ConnectionId] = context;

    public void Remove(HubCallerContext context) => _connections.TryRemove(context.ConnectionId, out _);

    public IReadOnlyCollection<HubCallerContext> Snapshot() => [.. _connections.Values];
}
