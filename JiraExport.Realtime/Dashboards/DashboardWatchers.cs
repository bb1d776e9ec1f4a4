using System.Collections.Concurrent;

namespace JiraExport.Realtime.Dashboards;

/// <summary>
/// The connections of this instance that watch their tenant's dashboard, each with whether it may read analytics (and
/// so the flow counters). Each instance sends its own watchers their counters, so a tenant's counters are read once per
/// instance that has a watcher, and no push crosses the backplane.
/// </summary>
public sealed class DashboardWatchers
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, bool>> _byTenant = new();

    public void Add(Guid tenantId, string connectionId, bool readsAnalytics) => _byTenant.GetOrAdd(tenantId, _ => new())[connectionId] = readsAnalytics;

    public void Remove(Guid tenantId, string connectionId)
    {
        if (_byTenant.TryGetValue(tenantId, out var connections) && connections.TryRemove(connectionId, out _) && connections.IsEmpty)
        {
            _byTenant.TryRemove(KeyValuePair.Create(tenantId, connections));
        }
    }

    /// <summary>Each watched tenant with its watching connections, as they are now: those that read analytics, and the others.</summary>
    public IReadOnlyList<(Guid TenantId, IReadOnlyList<string> Analytics, IReadOnlyList<string> Others)> Snapshot() =>
        [.. _byTenant.Select(t => (t.Key, Connections: t.Value.ToArray())).Where(t => t.Connections.Length > 0)
            .Select(t => (t.Key, (IReadOnlyList<string>)[.. t.Connections.Where(c => c.Value).Select(c => c.Key)],
                (IReadOnlyList<string>)[.. t.Connections.Where(c => !c.Value).Select(c => c.Key)]))];
}
