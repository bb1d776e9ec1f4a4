using System.Diagnostics.Metrics;
using JiraExport.ServiceDefaults;

namespace JiraExport.Core.Caching;

/// <summary>Hits, misses and evictions of the cached reads, by resource; the hit ratio is hits / (hits + misses).</summary>
public sealed class ReadCacheMetrics
{
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _evictions;

    public ReadCacheMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Caching);
        _hits = meter.CreateCounter<long>("jiraexport.read_cache.hits", description: "Reads answered from the cache.");
        _misses = meter.CreateCounter<long>("jiraexport.read_cache.misses", description: "Cacheable reads answered by the handler.");
        _evictions = meter.CreateCounter<long>("jiraexport.read_cache.evictions", description: "Tags evicted because their data changed.");
    }

    public void Hit(string resource) => _hits.Add(1, new KeyValuePair<string, object?>("resource", resource));

    public void Miss(string resource) => _misses.Add(1, new KeyValuePair<string, object?>("resource", resource));

    public void Evicted(string resource, string cause) =>
        _evictions.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("cause", cause));
}
