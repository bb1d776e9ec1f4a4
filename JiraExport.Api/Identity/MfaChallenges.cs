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
    /// <summary>Codes one challenge lets be checked; each wrong one also counts towards the account's lockout.</summary>
    public const int AttemptsPerChallenge = 3;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("JiraExport.MfaChallenge.v2").ToTimeLimitedDataProtector();

    public async Task<string> IssueAsync(Guid userId, Guid tenantId)
    {
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        // Holds 1 + the codes checked so far; it expires with the token.
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

    /// <summary>
    /// Takes one of the challenge's attempts before its code is checked, atomically, so parallel requests with one token
    /// cannot check more than <see cref="AttemptsPerChallenge"/> codes between them. False when none is left.
    /// </summary>
    public async Task<bool> TryTakeAttemptAsync(MfaChallenge challenge)
    {
        // Counts only while the challenge is open: an INCR would recreate a closed or expired one.
        var count = (long)await redis.GetDatabase().ScriptEvaluateAsync(
            "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) else return -1 end",
            [Key(challenge.Id)]);
        return count > 1 && count - 1 <= AttemptsPerChallenge;
    }

    private RedisKey Key(string id) => $"{auth.Value.RedisKeyPrefix}:mfa-challenge:{id}";
}

public sealed record MfaChallenge(string Id, Guid UserId, Guid TenantId);
