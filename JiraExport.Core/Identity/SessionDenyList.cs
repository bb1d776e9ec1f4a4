using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Core.Identity;

/// <summary>
/// Sessions revoked while their access tokens are still unexpired, in Redis so every Api and Realtime instance
/// refuses them at once. An entry outlives the longest access token it could be asked about, then expires.
/// </summary>
public sealed class SessionDenyList(IConnectionMultiplexer redis, IOptions<AuthOptions> options)
{
    public async Task DenyAsync(IEnumerable<Guid> sessionIds)
    {
        var ttl = options.Value.AccessTokenLifetime + AuthOptions.ClockSkew;
        var database = redis.GetDatabase();
        await Task.WhenAll(sessionIds.Select(id => database.StringSetAsync(Key(id), "1", ttl)));
    }

    public Task<bool> IsDeniedAsync(Guid sessionId) => redis.GetDatabase().KeyExistsAsync(Key(sessionId));

    private RedisKey Key(Guid sessionId) => $"{options.Value.RedisKeyPrefix}:denied-session:{sessionId:N}";
}
