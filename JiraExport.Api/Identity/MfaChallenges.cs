using System.Security.Cryptography;
using JiraExport.Core.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace JiraExport.Api.Identity;

/// <summary>
/// The proof, between the password and the second factor, that the password was right: the user and the tenant chosen,
/// encrypted and valid for five minutes. It is single-use and allows <see cref="AttemptsPerChallenge"/> codes: its id
/// lives in Redis (shared by every Api instance) until a code succeeds, the attempts run out, or it expires.
/// </summary>
public sealed class MfaChallenges(IDataProtectionProvider dataProtection, IConnectionMultiplexer redis, IOptions<AuthOptions> auth)
{
    /// <summary>Wrong codes one challenge allows; each also counts towards the account's lockout.</summary>
    public const int AttemptsPerChallenge = 3;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("JiraExport.MfaChallenge.v2").ToTimeLimitedDataProtector();

    public async Task<string> IssueAsync(Guid userId, Guid tenantId)
    {
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        // 1, not 0: an increment that answers 1 found no key (it expired meanwhile), so it cannot reopen a challenge.
        await redis.GetDatabase().StringSetAsync(Key(id), 1, Lifetime);
        return _protector.Protect($"{id}|{userId:N}|{tenantId:N}", Lifetime);
    }

    /// <summary>The challenge, if the token is genuine, unexpired and still open.</summary>
    public async Task<MfaChallenge?> ReadAsync(string mfaToken)
    {
        string[] parts;
        try
        {
            parts = _protector.Unprotect(mfaToken).Split('|');
        }
        catch (CryptographicException)
        {
            return null; // Tampered with, expired, or from elsewhere.
        }

        return parts.Length == 3 && Guid.TryParse(parts[1], out var userId) && Guid.TryParse(parts[2], out var tenantId)
               && await redis.GetDatabase().KeyExistsAsync(Key(parts[0]))
            ? new MfaChallenge(parts[0], userId, tenantId)
            : null;
    }

    /// <summary>Closes the challenge; false when another request closed it first (so two uses cannot both sign in).</summary>
    public Task<bool> CloseAsync(MfaChallenge challenge) => redis.GetDatabase().KeyDeleteAsync(Key(challenge.Id));

    /// <summary>Counts a wrong code; the challenge closes when its attempts are spent.</summary>
    public async Task RecordWrongCodeAsync(MfaChallenge challenge)
    {
        var count = await redis.GetDatabase().StringIncrementAsync(Key(challenge.Id));
        if (count == 1 || count - 1 >= AttemptsPerChallenge)
        {
            await CloseAsync(challenge);
        }
    }

    private RedisKey Key(string id) => $"{auth.Value.RedisKeyPrefix}:mfa-challenge:{id}";
}

public sealed record MfaChallenge(string Id, Guid UserId, Guid TenantId);
