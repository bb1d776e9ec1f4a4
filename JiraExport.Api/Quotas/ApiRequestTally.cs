using System.Collections.Concurrent;

namespace JiraExport.Api.Quotas;

/// <summary>Requests of one person or API key (<see cref="Core.Domain.PrincipalKinds"/>) to one endpoint.</summary>
public readonly record struct PrincipalEndpoint(Guid PrincipalId, string Kind, string Endpoint);

/// <summary>What one tenant asked since the last flush: its requests, and who asked which endpoint how often.</summary>
public sealed record TenantRequests(Guid TenantId, long Count, IReadOnlyList<(PrincipalEndpoint Who, long Count)> ByPrincipal);

/// <summary>
/// API requests per tenant, and per person or API key and endpoint, since the last flush to the durable usage tables; in
/// memory, flushed every few seconds.
/// </summary>
public sealed class ApiRequestTally
{
    private readonly ConcurrentDictionary<Guid, long> _counts = new();
    private readonly ConcurrentDictionary<(Guid TenantId, PrincipalEndpoint Who), long> _byPrincipal = new();

    public void Count(Guid tenantId, PrincipalEndpoint? who)
    {
        _counts.AddOrUpdate(tenantId, 1, (_, count) => count + 1);
        if (who is { } principal)
        {
            _byPrincipal.AddOrUpdate((tenantId, principal), 1, (_, count) => count + 1);
        }
    }

    /// <summary>Takes every tenant's counts, leaving zero behind (a count made meanwhile is taken by the next flush).</summary>
    public IReadOnlyList<TenantRequests> TakeAll()
    {
        var counts = new Dictionary<Guid, long>();
        foreach (var tenantId in _counts.Keys)
        {
            if (_counts.TryRemove(tenantId, out var count))
            {
                counts[tenantId] = count;
            }
        }

        var byPrincipal = new List<(Guid TenantId, PrincipalEndpoint Who, long Count)>();
        foreach (var key in _byPrincipal.Keys)
        {
            if (_byPrincipal.TryRemove(key, out var count))
            {
                byPrincipal.Add((key.TenantId, key.Who, count));
            }
        }

        var byTenant = byPrincipal.ToLookup(p => p.TenantId, p => (p.Who, p.Count));
        return [.. counts.Keys.Union(byTenant.Select(t => t.Key)).Select(tenantId => new TenantRequests(
            tenantId, counts.GetValueOrDefault(tenantId), [.. byTenant[tenantId]]))];
    }
}
