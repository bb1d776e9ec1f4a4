using System.Security.Cryptography;
using JiraExport.Api.Contracts;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.Identity;

/// <summary>
/// Sessions and their tokens: a short-lived signed access token and an opaque refresh token that is rotated on
/// every use; presenting a used one again revokes the whole session (RFC 9700 §4.14.2).
/// </summary>
public sealed class TokenService(
    JiraExportDbContext db,
    TenantContext tenantContext,
    SecurityEventLog securityEvents,
    SigningKeyRing keyRing,
    SessionDenyList denyList,
    IOptions<AuthOptions> options,
    TimeProvider timeProvider)
{
    public const string RefreshTokenPrefix = "jxr_";

    private static readonly JsonWebTokenHandler TokenHandler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>
    /// Ends a successful sign-in: a new session in the tenant, recorded, committed, and its first tokens — or, when the
    /// user already holds the tenant's limit of sessions and the tenant refuses new ones, a problem to answer instead.
    /// </summary>
    public async Task<(TokenPairResponse? Tokens, ProblemHttpResult? Refused)> SignInAsync(
        Guid userId, Guid tenantId, TenantRole role, HttpContext http, string? detail, CancellationToken cancellationToken)
    {
        tenantContext.Set(tenantId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenant = await db.Tenants.SingleAsync(cancellationToken);
        if (tenant.Status != TenantStatus.Active)
        {
            return (null, TenantGate.Inactive(tenant.Status));
        }

        if (tenant.MaxSessionsPerUser is { } limit)
        {
            var now = timeProvider.GetUtcNow();
            var active = await db.UserSessions
                .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
                .OrderBy(s => s.LastSeenAt)
                .ToListAsync(cancellationToken);
            if (active.Count >= limit)
            {
                if (tenant.SessionLimitAction == SessionLimitAction.RefuseNew)
                {
                    return (null, TypedResults.Problem(
                        title: "Session limit reached",
                        detail: $"This tenant allows {limit} concurrent sessions per user and you have {active.Count}; " +
                                "log out elsewhere (or end a session with DELETE /api/v1/auth/sessions/{id}) first.",
                        statusCode: StatusCodes.Status409Conflict));
                }

                await RevokeAsync(active.Take(active.Count - limit + 1).ToList(), "evicted by a newer sign-in (session limit)");
            }
        }

        var (session, pair) = await StartSessionAsync(userId, role, http, cancellationToken);
        securityEvents.Add(SecurityEventTypes.LoginSucceeded, http, userId, session.Id, detail);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (pair, null);
    }

    /// <summary>Starts a session in the current tenant's unit of work; the caller saves and commits.</summary>
    public async Task<(UserSession Session, TokenPairResponse Tokens)> StartSessionAsync(
        Guid userId, TenantRole role, HttpContext http, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId ?? throw new InvalidOperationException("No tenant is set."),
            UserId = userId,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
            IpAddress = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(http.Request.Headers.UserAgent.ToString(), 512),
        };
        db.UserSessions.Add(session);
        return (session, await IssueAsync(session, role, cancellationToken));
    }

    /// <summary>
    /// Creates the next refresh token of the session and an access token with the role's scopes — none at all while
    /// the tenant requires MFA and the user has not turned it on.
    /// </summary>
    public async Task<TokenPairResponse> IssueAsync(UserSession session, TenantRole role, CancellationToken cancellationToken)
    {
        var auth = options.Value;
        var mfaEnrollmentRequired = await db.Tenants.AnyAsync(t => t.RequireMfa, cancellationToken)
            && !await db.Users.Where(u => u.Id == session.UserId).Select(u => u.TwoFactorEnabled).SingleAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var refreshToken = RefreshTokenPrefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            TenantId = session.TenantId,
            SessionId = session.Id,
            TokenHash = HashRefreshToken(refreshToken),
            CreatedAt = now,
            ExpiresAt = session.ExpiresAt,
        });

        var accessToken = TokenHandler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + auth.AccessTokenLifetime).UtcDateTime,
            TokenType = AuthOptions.TokenType,
            SigningCredentials = await keyRing.GetSigningCredentialsAsync(cancellationToken),
            Claims = new Dictionary<string, object>
            {
                [JiraExportClaims.Subject] = session.UserId.ToString(),
                [JiraExportClaims.Tenant] = session.TenantId.ToString(),
                [JiraExportClaims.Session] = session.Id.ToString(),
                [JiraExportClaims.Scope] = mfaEnrollmentRequired ? "" : string.Join(' ', Scopes.Of(role)),
                [JiraExportClaims.TokenId] = Guid.NewGuid().ToString(),
            },
        });

        return new TokenPairResponse(accessToken, refreshToken, (int)auth.AccessTokenLifetime.TotalSeconds, "Bearer", mfaEnrollmentRequired);
    }

    /// <summary>Marks sessions revoked in the unit of work and refuses their unexpired access tokens at once.</summary>
    public async Task RevokeAsync(IReadOnlyCollection<UserSession> sessions, string reason)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var session in sessions.Where(s => s.RevokedAt is null))
        {
            session.RevokedAt = now;
            session.RevokedReason = reason;
        }

        await denyList.DenyAsync(sessions.Select(s => s.Id));
    }

    public static byte[] HashRefreshToken(string refreshToken) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(refreshToken));

    private static string? Truncate(string value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
