using JiraExport.Core.Identity;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Api.Sso;

/// <summary>
/// The single-use facts of SAML sign-ins, in Redis so every Api instance agrees: requests still awaiting their answer
/// (an unsolicited or second answer finds none), and assertions already consumed (kept until they expire).
/// </summary>
public sealed class SsoReplayGuard(IConnectionMultiplexer redis, IOptions<AuthOptions> auth, IOptions<SsoOptions> options)
{
    public Task RememberRequestAsync(Guid tenantId, string requestId, string? returnUrl) =>
        redis.GetDatabase().StringSetAsync(RequestKey(tenantId, requestId), returnUrl ?? "", options.Value.SignInLifetime);

    /// <summary>Takes the request out, so it can be answered once; false when it is unknown, expired or already answered.</summary>
    public async Task<(bool Outstanding, string? ReturnUrl)> TakeRequestAsync(Guid tenantId, string requestId)
    {
        var value = await redis.GetDatabase().StringGetDeleteAsync(RequestKey(tenantId, requestId));
        return value.IsNull ? (false, null) : (true, value.ToString() is { Length: > 0 } url ? url : null);
    }

    /// <summary>Marks the assertion consumed until it expires; false when it already was.</summary>
    public Task<bool> TryConsumeAssertionAsync(Guid tenantId, string assertionId, DateTimeOffset notOnOrAfter, DateTimeOffset now)
    {
        var ttl = notOnOrAfter - now + AuthOptions.ClockSkew;
        return redis.GetDatabase().StringSetAsync(
            $"{auth.Value.RedisKeyPrefix}:saml-assertion:{tenantId:N}:{assertionId}", "1",
            ttl > TimeSpan.Zero ? ttl : AuthOptions.ClockSkew, When.NotExists);
    }

    private RedisKey RequestKey(Guid tenantId, string requestId) => $"{auth.Value.RedisKeyPrefix}:saml-request:{tenantId:N}:{requestId}";
}
