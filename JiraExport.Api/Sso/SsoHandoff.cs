using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.Api.Contracts;
using JiraExport.Core.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace JiraExport.Api.Sso;

/// <summary>
/// Hands the tokens of a browser sign-in to the tenant's app without putting them in a URL: the app receives a
/// one-time code on its return URL and exchanges it, within a minute, at <c>POST /api/v1/auth/sso/token</c>.
/// </summary>
public sealed class SsoHandoff(IConnectionMultiplexer redis, IOptions<AuthOptions> auth)
{
    public const string CodePrefix = "jxc_";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<string> IssueAsync(TokenPairResponse tokens)
    {
        var code = CodePrefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        await redis.GetDatabase().StringSetAsync(Key(code), JsonSerializer.Serialize(tokens), Lifetime);
        return code;
    }

    public async Task<TokenPairResponse?> RedeemAsync(string code)
    {
        var value = await redis.GetDatabase().StringGetDeleteAsync(Key(code));
        return value.IsNull ? null : JsonSerializer.Deserialize<TokenPairResponse>(value.ToString());
    }

    // Stored under the code's hash, so a Redis dump gives no usable codes.
    private RedisKey Key(string code) =>
        $"{auth.Value.RedisKeyPrefix}:sso-handoff:{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)))}";
}
