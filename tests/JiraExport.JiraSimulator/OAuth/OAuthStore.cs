using System.Buffers.Text;
using System.Security.Cryptography;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>
/// The simulated authorization server's state: codes, refresh and access tokens, the deny-next switch and counters.
/// In memory on purpose: this is the simulated Atlassian, and it forgets everything on restart.
/// </summary>
internal sealed class OAuthStore(TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan RefreshInactivity = TimeSpan.FromDays(90);
    public static readonly TimeSpan RefreshAbsolute = TimeSpan.FromDays(365);

    private const string InvalidCode = "Invalid authorization code";
    private const string InvalidRefreshToken = "Unknown or invalid refresh token.";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenEntry> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenEntry> _accessTokens = new(StringComparer.Ordinal);
    private bool _denyNext;
    private long _codesIssued;
    private long _tokensIssued;
    private long _refreshes;
    private long _refreshTokenReuses;

    public void DenyNextConsent()
    {
        lock (_gate)
        {
            _denyNext = true;
        }
    }

    /// <summary>True once after <see cref="DenyNextConsent"/>: the consent being asked for is refused.</summary>
    public bool TakeDenial()
    {
        lock (_gate)
        {
            var deny = _denyNext;
            _denyNext = false;
            return deny;
        }
    }

    public string IssueCode(string clientId, string redirectUri, IReadOnlyList<string> scopes)
    {
        var now = time.GetUtcNow();
        var code = NewSecret("");
        lock (_gate)
        {
            _codes[code] = new AuthorizationCode(new OAuthGrant(clientId, scopes, now), redirectUri, now + CodeLifetime);
            _codesIssued++;
        }

        return code;
    }

    public TokenGrantResult RedeemCode(string clientId, string code, string? redirectUri)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_codes.TryGetValue(code, out var entry) || entry.Grant.ClientId != clientId)
            {
                return Refused(InvalidCode);
            }

            // Single use: even a failed exchange spends the code, as RFC 6749 §4.1.2 asks.
            _codes.Remove(code);
            if (now >= entry.ExpiresAt)
            {
                return Refused(InvalidCode);
            }

            return string.Equals(redirectUri, entry.RedirectUri, StringComparison.Ordinal)
                ? new TokenGrantResult(Issue(entry.Grant, now))
                : Refused("redirect_uri does not match the one the code was issued for.");
        }
    }

    /// <summary>
    /// Rotation as API-NOTES §3 describes it: a new refresh token each time, the presented one disabled. A disabled one
    /// presented again is counted as reuse and refused; the grant's newest token stays valid (Atlassian documents no
    /// family revocation).
    /// </summary>
    public TokenGrantResult Refresh(string clientId, string refreshToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(refreshToken, out var entry) || entry.Grant.ClientId != clientId)
            {
                return Refused(InvalidRefreshToken);
            }

            if (entry.RotatedAt is not null)
            {
                _refreshTokenReuses++;
                return Refused(InvalidRefreshToken);
            }

            if (now - entry.IssuedAt >= RefreshInactivity || now - entry.Grant.ConsentedAt >= RefreshAbsolute)
            {
                return Refused(InvalidRefreshToken);
            }

            _refreshTokens[refreshToken] = entry with { RotatedAt = now };
            _refreshes++;
            return new TokenGrantResult(Issue(entry.Grant, now));
        }
    }

    /// <summary>The grant behind an unexpired access token, or null.</summary>
    public OAuthGrant? FindAccessToken(string accessToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _accessTokens.TryGetValue(accessToken, out var entry) && now < entry.ExpiresAt ? entry.Grant : null;
        }
    }

    public OAuthStats Stats()
    {
        lock (_gate)
        {
            return new OAuthStats(_codesIssued, _tokensIssued, _refreshes, _refreshTokenReuses);
        }
    }

    public void ResetStats()
    {
        lock (_gate)
        {
            (_codesIssued, _tokensIssued, _refreshes, _refreshTokenReuses) = (0, 0, 0, 0);
        }
    }

    private IssuedTokens Issue(OAuthGrant grant, DateTimeOffset now)
    {
        var accessToken = NewSecret("sim-at-");
        _accessTokens[accessToken] = new AccessTokenEntry(grant, now + AccessTokenLifetime);
        string? refreshToken = null;
        if (grant.AllowsRefresh)
        {
            refreshToken = NewSecret("sim-rt-");
            _refreshTokens[refreshToken] = new RefreshTokenEntry(grant, now);
        }

        _tokensIssued++;
        return new IssuedTokens(accessToken, (int)AccessTokenLifetime.TotalSeconds, grant.Scope, refreshToken);
    }

    private static TokenGrantResult Refused(string description) => new(null, "invalid_grant", description);

    private static string NewSecret(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
