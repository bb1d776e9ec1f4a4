using System.Collections.Concurrent;

namespace JiraExport.Realtime.Dashboards;

/// <summary>
/// The connections of this instance that watch their tenant's dashboard, each with whether it may read analytics (and
/// so the flow counters), and the counters last read for each watched tenant. Each instance sends its own watchers their
/// counters, so a tenant's counters are read once per interval per instance that has a watcher, and no push crosses the
/// backplane.
/// </summary>
public sealed class DashboardWatchers
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, bool>> _byTenant = new();
    private readonly ConcurrentDictionary<Guid, DashboardCounters> _latest = new();

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

    /// <summary>The tenant's counters as last read (at most one interval old), or null when no one here watches it.</summary>
    public DashboardCounters? Latest(Guid tenantId) => _latest.GetValueOrDefault(tenantId);

    /// <summary>What the publisher read and sent (or had nothing to send) for the tenant this round.</summary>
    public void Read(Guid tenantId, DashboardCounters counters) => _latest[tenantId] = counters;

    /// <summary>A subscriber's reading, kept as the tenant's latest unless one is there already (which is answered instead).</summary>
    public DashboardCounters FirstReading(Guid tenantId, DashboardCounters counters) => _latest.GetOrAdd(tenantId, counters);

    /// <summary>Forgets the counters of tenants no one here watches any more.</summary>
    public void ForgetUnwatched(IEnumerable<Guid> watched)
    {
        foreach (var tenantId in _latest.Keys.Except(watched))
        {
            _latest.TryRemove(tenantId, out _);
        }
    }
}
