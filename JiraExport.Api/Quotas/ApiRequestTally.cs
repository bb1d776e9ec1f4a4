using System.Collections.Concurrent;

namespace JiraExport.Api.Quotas;

/// <summary>API requests per tenant since the last flush to the durable usage table; in memory, flushed every few seconds.</summary>
public sealed class ApiRequestTally
{
    private readonly ConcurrentDictionary<Guid, long> _counts = new();

    public void Count(Guid tenantId) => _counts.AddOrUpdate(tenantId, 1, (_, count) => count + 1);

    /// <summary>Takes every tenant's count, leaving zero behind.</summary>
    public IReadOnlyList<(Guid TenantId, long Count)> TakeAll()
    {
        var taken = new List<(Guid, long)>();
        foreach (var tenantId in _counts.Keys)
        {
            if (_counts.TryRemove(tenantId, out var count) && count > 0)
            {
                taken.Add((tenantId, count));
            }
        }

        return taken;
    }
}
