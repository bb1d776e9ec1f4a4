using System.Collections.Concurrent;

namespace JiraExport.Realtime.Dashboards;

/// <summary>
/// The connections of this instance that watch their tenant's dashboard. Each instance sends its own watchers their
/// counters, so a tenant's counters are read once per instance that has a watcher, and no push crosses the backplane.
/// </summary>
public sealed class DashboardWatchers
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, bool>> _byTenant = new();

    public void Add(Guid tenantId, string connectionId) => _byTenant.GetOrAdd(tenantId, _ => new()).TryAdd(connectionId, true);

    public void Remove(Guid tenantId, string connectionId)
    {
        if (_byTenant.TryGetValue(tenantId, out var connections) && connections.TryRemove(connectionId, out _) && connections.IsEmpty)
        {
            _byTenant.TryRemove(KeyValuePair.Create(tenantId, connections));
        }
    }

    /// <summary>Each watched tenant with its watching connections, as they are now.</summary>
    public IReadOnlyList<(Guid TenantId, IReadOnlyList<string> Connections)> Snapshot() =>
        [.. _byTenant.Select(t => (t.Key, (IReadOnlyList<string>)[.. t.Value.Keys])).Where(t => t.Item2.Count > 0)];
}
