using JiraExport.Core.Caching;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Tenancy;

/// <summary>A valid API key as the lookup found it; <see cref="ExpiresAt"/> is checked on every use, cached or not.</summary>
public sealed record ApiKeyMatch(Guid TenantId, Guid ApiKeyId, string? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>
/// API keys by the hash of their secret, cached in each instance's memory for a minute, so a busy key costs the database
/// one lookup a minute per instance (which also stamps its last use) instead of one per request. Revoking a key forgets it on every instance
/// before the revocation is answered (<see cref="ForgetAsync"/>, <see cref="CacheRevocation"/>).
/// </summary>
public sealed class ApiKeyCache(IFusionCache cache, CacheRevocation revocation, IServiceScopeFactory scopes)
{
    private static readonly FusionCacheEntryOptions Found = CacheRevocation.Revocable(TimeSpan.FromMinutes(1), failSafe: true);

    // A random guess stays unknown: remembered briefly.
    private static readonly FusionCacheEntryOptions NotFound = CacheRevocation.Revocable(TimeSpan.FromSeconds(10), failSafe: false);

    public async ValueTask<ApiKeyMatch?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(apiKey);
        return await cache.GetOrSetAsync<ApiKeyMatch?>(CacheKey(hash), async (context, token) =>
        {
            var revocations = revocation.Revocations;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            var matches = await db.Database
                .SqlQuery<ApiKeyMatch>($"SELECT tenant_id AS \"TenantId\", api_key_id AS \"ApiKeyId\", scopes AS \"Scopes\", expires_at AS \"ExpiresAt\" FROM find_api_key({hash})")
                .ToListAsync(token);
            if (matches is not [var match])
            {
                context.Options = NotFound;
                return null;
            }

            revocation.KeepUnlessRevokedSince(context, revocations);
            return match;
        }, Found, cancellationToken);
    }

    /// <summary>Keys read when an instance starts, before any request presented them (by the hash of their secret).</summary>
    public void Warm(IEnumerable<(byte[] SecretHash, ApiKeyMatch Match)> keys, long revocationsAtStart) =>
        revocation.Warm([.. keys.Select(key => (CacheKey(key.SecretHash), (ApiKeyMatch?)key.Match))], Found, revocationsAtStart);

    public Task ForgetAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        revocation.RevokeAsync([CacheKey(secretHash)], cancellationToken);

    private static string CacheKey(byte[] secretHash) => $"api-key:{Convert.ToHexString(secretHash)}";
}
