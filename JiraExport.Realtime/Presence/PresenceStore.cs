using System.Text.Json;
using JiraExport.Realtime.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Realtime.Presence;

/// <summary>One open connection at a resource: who (a user, or an API key), doing what, since when, until when unless renewed.</summary>
public sealed record PresenceEntry(string PrincipalKind, Guid PrincipalId, string Activity, DateTimeOffset Since, DateTimeOffset ExpiresAt);

/// <summary>
/// Who is at which resource, in Redis, so every Realtime instance sees the same: one hash per tenant and resource, a field
/// per connection. Entries carry their expiry and are dropped when read after it, so a crashed instance's clients vanish
/// within <see cref="RealtimeOptions.PresenceTtl"/>; the hash itself expires when no one renews it.
/// </summary>
public sealed class PresenceStore(IConnectionMultiplexer redis, IOptions<RealtimeOptions> options, TimeProvider timeProvider)
{
    public TimeSpan Ttl => options.Value.PresenceTtl;

    /// <summary>
    /// Records or renews the connection's entry; answers everyone present after it, and whether that is news: the
    /// connection was not there (or had expired) or now does something else. A plain renewal is not.
    /// </summary>
    public async Task<(IReadOnlyList<PresenceEntry> People, bool Changed)> EnterAsync(
        Guid tenantId, string resource, string connectionId, string principalKind, Guid principalId, string activity)
    {
        var key = Key(tenantId, resource);
        var database = redis.GetDatabase();
        var now = timeProvider.GetUtcNow();
        var previous = await database.HashGetAsync(key, connectionId);
        var earlier = previous.HasValue ? JsonSerializer.Deserialize<PresenceEntry>(previous.ToString(), JsonSerializerOptions.Web) : null;
        var renewal = earlier is not null && earlier.Activity == activity && earlier.ExpiresAt > now;
        var since = renewal ? earlier!.Since : now;
        var entry = new PresenceEntry(principalKind, principalId, activity, since, now + Ttl);
        await database.HashSetAsync(key, connectionId, JsonSerializer.Serialize(entry, JsonSerializerOptions.Web));
        await database.KeyExpireAsync(key, Ttl * 2);
        return (await ReadAsync(tenantId, resource), !renewal);
    }

    public async Task LeaveAsync(Guid tenantId, string resource, string connectionId) =>
        await redis.GetDatabase().HashDeleteAsync(Key(tenantId, resource), connectionId);

    /// <summary>Everyone present now, earliest first; expired entries are removed on the way.</summary>
    public async Task<IReadOnlyList<PresenceEntry>> ReadAsync(Guid tenantId, string resource)
    {
        var key = Key(tenantId, resource);
        var database = redis.GetDatabase();
        var now = timeProvider.GetUtcNow();
        var present = new List<PresenceEntry>();
        var expired = new List<RedisValue>();
        foreach (var field in await database.HashGetAllAsync(key))
        {
            var entry = JsonSerializer.Deserialize<PresenceEntry>(field.Value.ToString(), JsonSerializerOptions.Web);
            if (entry is null || entry.ExpiresAt <= now)
            {
                expired.Add(field.Name);
            }
            else
            {
                present.Add(entry);
            }
        }

        if (expired.Count > 0)
        {
            await database.HashDeleteAsync(key, [.. expired]);
        }

        return [.. present.OrderBy(e => e.Since).ThenBy(e => e.PrincipalId)];
    }

    private RedisKey Key(Guid tenantId, string resource) => $"{options.Value.RedisChannelPrefix}:presence:{tenantId:N}:{resource}";
}
