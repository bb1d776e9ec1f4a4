using System.ComponentModel.DataAnnotations;

namespace JiraExport.Core.Identity;

/// <summary>Access and refresh token settings, bound from the "Auth" section; the same in Api and Realtime.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    [Required]
    public string Issuer { get; set; } = "jiraexport";

    [Required]
    public string Audience { get; set; } = "jiraexport";

    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long one signing key signs before the next one takes over.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a new key is published before it signs, so every verifier's JWKS cache has it by then
    /// (Realtime refreshes its copy every <see cref="JwksRefreshInterval"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SigningKeyPublishAhead { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where services that do not own the keys (Realtime) read the issuer's metadata and JWKS.</summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>Prefix of the Redis keys the services write (revoked sessions, request counters); tests give each class its own.</summary>
    public string RedisKeyPrefix { get; set; } = "jx";

    /// <summary>RFC 8725 §3.1: the one algorithm accepted; "none" and everything else are refused.</summary>
    public const string Algorithm = "ES256";

    /// <summary>RFC 9068 explicit typing, so an ID token or another JWT cannot pass as an access token.</summary>
    public const string TokenType = "at+jwt";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Data Protection purpose of the signing keys' private halves.</summary>
    public const string SigningKeyProtectionPurpose = "JiraExport.SigningKeys.v1";
}
