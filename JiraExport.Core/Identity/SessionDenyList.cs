using JiraExport.Core.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Identity;

/// <summary>
/// Sessions revoked while their access tokens are still unexpired. Redis holds the list (an entry outlives the longest
/// access token it could be asked about); each instance keeps its answers in memory for a minute, and a revocation removes
/// them on every instance before <see cref="DenyAsync"/> returns (<see cref="CacheRevocation"/>).
/// </summary>
public sealed class SessionDenyList(IConnectionMultiplexer redis, IFusionCache cache, CacheRevocation revocation, IOptions<AuthOptions> options)
{
    // Never an old "not revoked" for a store that does not answer: the request fails instead.
    private static readonly FusionCacheEntryOptions Answers = CacheRevocation.Revocable(TimeSpan.FromMinutes(1), failSafe: false);

    public async Task DenyAsync(IEnumerable<Guid> sessionIds, CancellationToken cancellationToken = default)
    {
        var ids = sessionIds.ToList();
        var ttl = options.Value.AccessTokenLifetime + AuthOptions.ClockSkew;
        var database = redis.GetDatabase();
        await Task.WhenAll(ids.Select(id => database.StringSetAsync(Key(id), "1", ttl)));
        await revocation.RevokeAsync(ids.Select(CacheKey).ToList(), cancellationToken);
    }

    public ValueTask<bool> IsDeniedAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        cache.GetOrSetAsync<bool>(CacheKey(sessionId), async (context, _) =>
        {
            var revocations = revocation.Revocations;
            var denied = await redis.GetDatabase().KeyExistsAsync(Key(sessionId));
            revocation.KeepUnlessRevokedSince(context, revocations);
            return denied;
        }, Answers, cancellationToken);

    private RedisKey Key(Guid sessionId) => $"{options.Value.RedisKeyPrefix}:denied-session:{sessionId:N}";

    private static string CacheKey(Guid sessionId) => $"denied-session:{sessionId:N}";
}
