using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;

namespace JiraExport.Core.Caching;

/// <summary>
/// Evicts a tenant's cached reads of a resource from the store every Api instance shares, twice: now, inside the
/// transaction that changes the data, and again once it has committed. After the first, a reader misses and reads
/// the database; the second removes what a reader cached from the state before the commit. So a client that saw the
/// change committed (an event, a job's status, the write's answer) never reads the old state from the cache.
/// </summary>
public sealed partial class ReadCacheEvictor(IOutputCacheStore store, ReadCacheMetrics metrics, ILogger<ReadCacheEvictor> logger)
{
    public async Task EvictAsync(JiraExportDbContext db, Guid tenantId, string resource, string cause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is not null)
        {
            await EvictNowAsync(tenantId, resource, cause, cancellationToken);
        }

        await db.AfterCommitAsync(token => EvictNowAsync(tenantId, resource, cause, token), cancellationToken);
    }

    /// <summary>Evicts once, now: for a change its caller has committed already.</summary>
    public async Task EvictNowAsync(Guid tenantId, string resource, string cause, CancellationToken cancellationToken)
    {
        try
        {
            await store.EvictByTagAsync(ReadCacheTags.For(tenantId, resource), cancellationToken);
            metrics.Evicted(resource, cause);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The change itself stands (or is about to commit): a store that does not answer must not undo it. What
            // it still holds expires within its lifetime (a minute).
            LogEvictionFailed(logger, resource, tenantId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not evict the cached reads of {Resource} of tenant {TenantId}; they expire within a minute")]
    private static partial void LogEvictionFailed(ILogger logger, string resource, Guid tenantId, Exception exception);
}
