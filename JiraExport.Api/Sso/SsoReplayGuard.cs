using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JiraExport.Core.Identity;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Api.Sso;

/// <summary>
/// The single-use facts of SAML sign-ins, in Redis so every Api instance agrees: requests still awaiting their answer
/// (an unsolicited or second answer finds none), each bound to the browser that started it, and assertions already
/// consumed (kept until they expire).
/// </summary>
public sealed class SsoReplayGuard(IConnectionMultiplexer redis, IOptions<AuthOptions> auth, IOptions<SsoOptions> options)
{
    /// <summary>
    /// The cookie that binds a SAML sign-in to the browser that started it. <c>__Host-</c>: only this host, over HTTPS,
    /// may set it, so a sibling subdomain cannot plant its own binding in a victim's browser.
    /// </summary>
    public const string BrowserCookieName = "__Host-jx_sso_saml";

    /// <summary>Remembers the request and returns the browser binding to set as <see cref="BrowserCookieName"/>; only its hash is stored.</summary>
    public async Task<string> RememberRequestAsync(Guid tenantId, string requestId, string? returnUrl)
    {
        var binding = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await redis.GetDatabase().StringSetAsync(RequestKey(tenantId, requestId),
            JsonSerializer.Serialize(new OutstandingRequest(Hash(binding), returnUrl)), options.Value.SignInLifetime);
        return binding;
    }

    /// <summary>
    /// Takes the request out, so it can be answered once; false when it is unknown, expired or already answered. A
    /// response posted from another browser than the one that started the sign-in is refused: without this, anyone could
    /// sign a victim's browser into the attacker's account by posting the attacker's own response to it (login CSRF).
    /// </summary>
    public async Task<(bool Outstanding, string? ReturnUrl)> TakeRequestAsync(Guid tenantId, string requestId, string? browserBinding)
    {
        var value = await redis.GetDatabase().StringGetDeleteAsync(RequestKey(tenantId, requestId));
        if (value.IsNull)
        {
            return (false, null);
        }

        OutstandingRequest request;
        try
        {
            request = JsonSerializer.Deserialize<OutstandingRequest>(value.ToString())!;
        }
        catch (JsonException)
        {
            return (false, null); // Stored by a release that did not bind requests to a browser: start again.
        }

        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(request.BindingHash), Convert.FromHexString(Hash(browserBinding ?? ""))))
        {
            throw new SsoException("This SAML sign-in was started in another browser; start it again here.", StatusCodes.Status400BadRequest);
        }

        return (true, request.ReturnUrl);
    }

    private static string Hash(string binding) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(binding)));

    private sealed record OutstandingRequest(string BindingHash, string? ReturnUrl);

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
