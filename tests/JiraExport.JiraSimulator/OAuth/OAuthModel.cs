namespace JiraExport.JiraSimulator.OAuth;

/// <summary>One user's consent to one app. Its refresh tokens die <see cref="OAuthStore.RefreshAbsolute"/> after it, however often they rotate.</summary>
internal sealed record OAuthGrant(string ClientId, IReadOnlyList<string> Scopes, DateTimeOffset ConsentedAt)
{
    public string Scope => string.Join(' ', Scopes);

    public bool AllowsRefresh => Scopes.Contains(OAuthScopes.OfflineAccess);
}

internal sealed record AuthorizationCode(OAuthGrant Grant, string RedirectUri, DateTimeOffset ExpiresAt);

/// <summary>Kept after rotation (<see cref="RotatedAt"/> set) so that presenting it again is recognised as reuse.</summary>
internal sealed record RefreshTokenEntry(OAuthGrant Grant, DateTimeOffset IssuedAt, DateTimeOffset? RotatedAt = null);

internal sealed record AccessTokenEntry(OAuthGrant Grant, DateTimeOffset ExpiresAt);

internal sealed record IssuedTokens(string AccessToken, int ExpiresIn, string Scope, string? RefreshToken);

/// <summary>Tokens, or the OAuth <see cref="Error"/> code and description saying why not.</summary>
internal sealed record TokenGrantResult(IssuedTokens? Tokens, string Error = "", string Description = "");

/// <summary>What <c>GET /_simulator/oauth/stats</c> answers.</summary>
internal sealed record OAuthStats(long CodesIssued, long TokensIssued, long Refreshes, long RefreshTokenReuses);
