using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Core.Caching;

/// <summary>
/// Evicts a tenant's cached reads of a resource from the store every Api instance shares, twice: now, inside the
/// transaction that changes the data, and again once it has committed. After the first, a reader misses and reads
/// the database; the second removes what a reader cached from the state before the commit. So a client that saw the
/// change committed (an event, a job's status, the write's answer) never reads the old state from the cache.
/// <para>
/// A reader that read the database before the commit may still store its answer after the second eviction. So each
/// eviction first renews the resource's mark, a reader notes the mark before it reads the database
/// (<see cref="ReadMarkAsync"/>), and once its answer is stored evicts again if the mark moved meanwhile
/// (<see cref="EvictIfMarkedSinceAsync"/>): whichever of the two comes last removes the stale answer.
/// </para>
/// </summary>
public sealed partial class ReadCacheEvictor(
    IOutputCacheStore store,
    IConnectionMultiplexer redis,
    IOptions<RedisOutputCacheOptions> storeOptions,
    ReadCacheMetrics metrics,
    ILogger<ReadCacheEvictor> logger)
{
    /// <summary>Twice a cached answer's lifetime: no read that noted a mark is still running when it expires.</summary>
    private static readonly TimeSpan MarkLifetime = TimeSpan.FromMinutes(2);

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
    public Task EvictNowAsync(Guid tenantId, string resource, string cause, CancellationToken cancellationToken) =>
        TryAsync(resource, tenantId, async () =>
        {
            // A new value, never a counter: a mark that expired and came back must not look unchanged.
            await redis.GetDatabase().StringSetAsync(MarkKey(tenantId, resource), Guid.NewGuid().ToString("N"), MarkLifetime).WaitAsync(cancellationToken);
            await store.EvictByTagAsync(ReadCacheTags.For(tenantId, resource), cancellationToken);
            metrics.Evicted(resource, cause);
        }, cancellationToken);

    /// <summary>The resource's mark, noted before a read of the database whose answer will be cached.</summary>
    public async Task<string?> ReadMarkAsync(Guid tenantId, string resource, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringGetAsync(MarkKey(tenantId, resource)).WaitAsync(cancellationToken);

    /// <summary>Once a read's answer is stored: evicts it if an eviction ran since the read noted <paramref name="mark"/>.</summary>
    public Task EvictIfMarkedSinceAsync(Guid tenantId, string resource, string? mark, CancellationToken cancellationToken) =>
        TryAsync(resource, tenantId, async () =>
        {
            if (await ReadMarkAsync(tenantId, resource, cancellationToken) != mark)
            {
                // Without renewing the mark: other reads in flight are not made to evict in turn.
                await store.EvictByTagAsync(ReadCacheTags.For(tenantId, resource), cancellationToken);
                metrics.Evicted(resource, "read during a change");
            }
        }, cancellationToken);

    private async Task TryAsync(string resource, Guid tenantId, Func<Task> evict, CancellationToken cancellationToken)
    {
        try
        {
            await evict();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The change itself stands (or is about to commit): a store that does not answer must not undo it. What
            // it still holds expires within its lifetime (a minute).
            LogEvictionFailed(logger, resource, tenantId, ex);
        }
    }

    private RedisKey MarkKey(Guid tenantId, string resource) => $"{storeOptions.Value.InstanceName}marks:{ReadCacheTags.For(tenantId, resource)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not evict the cached reads of {Resource} of tenant {TenantId}; they expire within a minute")]
    private static partial void LogEvictionFailed(ILogger logger, string resource, Guid tenantId, Exception exception);
}
