using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static partial class AuthApi
{
    private const string InvalidCredentials = "The email or the password is wrong.";

    // Unknown emails still cost one password hash, so response times do not tell which accounts exist.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<User>().HashPassword(new User(), Guid.NewGuid().ToString()));

    /// <summary>The structural rules of <see cref="TokenRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(TokenRequest request) =>
        string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password)
            || request.Email.Length > 256 || request.Password.Length > 1024
            ? new() { ["email"] = ["An email of at most 256 characters and a password of at most 1,024 are required."] }
            : [];

    /// <summary>The structural rules of <see cref="RefreshRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(RefreshRequest request) =>
        string.IsNullOrEmpty(request.RefreshToken) || request.RefreshToken.Length > 200
            || !request.RefreshToken.StartsWith(TokenService.RefreshTokenPrefix, StringComparison.Ordinal)
            ? new() { ["refreshToken"] = [$"A refresh token (it starts with \"{TokenService.RefreshTokenPrefix}\") is required."] }
            : [];

    public static async Task<Results<Ok<TokenPairResponse>, Ok<MfaChallengeResponse>, ValidationProblem, ProblemHttpResult>> CreateToken(
        TokenRequest request,
        HttpContext http,
        UserManager<User> users,
        JiraExportDbContext db,
        TokenService tokens,
        MfaChallenges mfaChallenges,
        EmailVerifications emailVerifications,
        SecurityEventLog securityEvents,
        CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new User(), DecoyHash.Value, request.Password!);
            return Unauthorized(InvalidCredentials);
        }

        var memberships = await FindMembershipsAsync(db, user.Id, cancellationToken);
        if (await users.IsLockedOutAsync(user))
        {
            return LockedOut(user, http);
        }

        if (!await users.CheckPasswordAsync(user, request.Password!))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            await securityEvents.RecordInTenantsAsync(
                memberships.Select(m => m.TenantId),
                locked ? SecurityEventTypes.LoginLockedOut : SecurityEventTypes.LoginFailed,
                http, user.Id, "wrong password", cancellationToken);
            return locked ? LockedOut(user, http) : Unauthorized(InvalidCredentials);
        }

        if (!user.EmailConfirmed)
        {
            // Said only to whoever knows the password; the mail goes to the mailbox, not to the caller.
            await emailVerifications.QueueAgainAsync(user);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Problem(title: "Email not verified",
                detail: $"Confirm your email first: a mail with a token went to {user.Email}. Send it to POST /api/v1/auth/verify-email.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        var membership = ChooseTenant(memberships, request.Tenant, out var problem);
        if (membership is null)
        {
            return problem!;
        }

        // With MFA the failed-attempt count is reset only when the whole sign-in succeeds: a right password must not
        // hand an attacker who knows it a fresh set of code guesses.
        if (user.TwoFactorEnabled)
        {
            return TypedResults.Ok(new MfaChallengeResponse(true, await mfaChallenges.IssueAsync(user.Id, membership.TenantId)));
        }

        await users.ResetAccessFailedCountAsync(user);

        var (pair, refused) = await tokens.SignInAsync(user.Id, membership.TenantId, membership.TenantRole, http, "password", cancellationToken);
        return pair is null ? refused! : TypedResults.Ok(pair);
    }

    public static async Task<Results<Ok<TokenPairResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request,
        HttpContext http,
        JiraExportDbContext db,
        TenantContext tenantContext,
        TokenService tokens,
        SecurityEventLog securityEvents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        const string SignInAgain = "The refresh token is not valid any more; sign in again.";
        var hash = TokenService.HashRefreshToken(request.RefreshToken!);
        var owners = await db.Database
            .SqlQuery<RefreshTokenOwner>($"SELECT tenant_id AS \"TenantId\", session_id AS \"SessionId\" FROM find_refresh_token({hash})")
            .ToListAsync(cancellationToken);
        if (owners is not [var owner])
        {
            return Unauthorized(SignInAgain);
        }

        tenantContext.Set(owner.TenantId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The row lock makes two uses of one token take turns, so the second always sees the first.
        var token = await db.RefreshTokens.FromSql($"SELECT * FROM refresh_tokens WHERE token_hash = {hash} FOR UPDATE")
            .SingleAsync(cancellationToken);
        var session = await db.UserSessions.SingleAsync(s => s.Id == owner.SessionId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (session.RevokedAt is not null || session.ExpiresAt <= now || token.ExpiresAt <= now)
        {
            return Unauthorized(SignInAgain);
        }

        var tenantStatus = await db.Tenants.Select(t => t.Status).SingleAsync(cancellationToken);
        if (tenantStatus != TenantStatus.Active)
        {
            return TenantGate.Inactive(tenantStatus);
        }

        if (token.UsedAt is not null)
        {
            await tokens.RevokeAsync([session], "refresh token reused");
            securityEvents.Add(SecurityEventTypes.RefreshTokenReused, http, session.UserId, session.Id,
                $"token first used at {token.UsedAt:O}; the session is revoked");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Unauthorized("This refresh token was already used, so it may have been stolen: the session is ended. Sign in again.");
        }

        var membership = await db.TenantMemberships.SingleOrDefaultAsync(m => m.UserId == session.UserId, cancellationToken);
        if (membership is null)
        {
            await tokens.RevokeAsync([session], "no longer a member");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Unauthorized("You are no longer a member of this tenant.");
        }

        token.UsedAt = now;
        session.LastSeenAt = now;
        var pair = await tokens.IssueAsync(session, membership.Role, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(pair);
    }

    public static async Task<NoContent> Logout(
        ClaimsPrincipal user, HttpContext http, JiraExportDbContext db, TokenService tokens, SecurityEventLog securityEvents, CancellationToken cancellationToken)
    {
        var sessionId = SessionIdOf(user);
        var session = await db.UserSessions.SingleAsync(s => s.Id == sessionId, cancellationToken);
        await tokens.RevokeAsync([session], "logout");
        securityEvents.Add(SecurityEventTypes.SessionRevoked, http, session.UserId, session.Id, "logout");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> LogoutEverywhere(
        ClaimsPrincipal user, HttpContext http, JiraExportDbContext db, TokenService tokens, SecurityEventLog securityEvents, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId()!.Value;
        var sessions = await db.UserSessions.Where(s => s.UserId == userId && s.RevokedAt == null).ToListAsync(cancellationToken);
        await tokens.RevokeAsync(sessions, "logout everywhere");
        securityEvents.Add(SecurityEventTypes.LogoutEverywhere, http, userId, SessionIdOf(user), $"{sessions.Count} sessions ended");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListPage<SessionResponse>>, ValidationProblem>> ListSessionsV2(
        ClaimsPrincipal user, TimeProvider timeProvider, int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = user.GetUserId()!.Value;
        var current = SessionIdOf(user);
        var now = timeProvider.GetUtcNow();
        var (sessions, next) = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .NewestFirstAsync(s => s.CreatedAt, s => s.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request,
            [.. sessions.Select(s => new SessionResponse(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.IpAddress, s.UserAgent, s.Id == current))],
            next, s => ListPages.V2($"/auth/sessions/{s.Id}")));
    }

    public static async Task<Ok<List<SessionResponse>>> ListSessions(
        ClaimsPrincipal user, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId()!.Value;
        var current = SessionIdOf(user);
        var now = timeProvider.GetUtcNow();
        var sessions = await db.UserSessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new SessionResponse(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.IpAddress, s.UserAgent, s.Id == current))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(sessions);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeSession(
        Guid id, ClaimsPrincipal user, HttpContext http, JiraExportDbContext db, TokenService tokens, SecurityEventLog securityEvents,
        CancellationToken cancellationToken)
    {
        var userId = user.GetUserId()!.Value;
        var session = await db.UserSessions.SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId, cancellationToken);
        if (session is null)
        {
            return TypedResults.Problem(
                title: "Session not found", detail: $"You have no session {id} in this tenant.", statusCode: StatusCodes.Status404NotFound);
        }

        await tokens.RevokeAsync([session], "revoked by its user");
        securityEvents.Add(SecurityEventTypes.SessionRevoked, http, userId, session.Id, "revoked by its user");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<List<MembershipMatch>> FindMembershipsAsync(JiraExportDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.Database
            .SqlQuery<MembershipMatch>($"SELECT tenant_id AS \"TenantId\", slug AS \"Slug\", role AS \"Role\" FROM find_memberships({userId})")
            .ToListAsync(cancellationToken);

    private static MembershipMatch? ChooseTenant(List<MembershipMatch> memberships, string? requested, out ProblemHttpResult? problem)
    {
        problem = null;
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var match = memberships.FirstOrDefault(m => m.Slug == requested || m.TenantId.ToString() == requested);
            problem = match is null
                ? TypedResults.Problem(title: "Not a member", detail: $"You are not a member of the tenant '{requested}'.",
                    statusCode: StatusCodes.Status403Forbidden)
                : null;
            return match;
        }

        switch (memberships)
        {
            case [var only]:
                return only;
            case []:
                problem = TypedResults.Problem(title: "No tenant", detail: "Your account belongs to no tenant yet; ask a tenant admin to invite you.",
                    statusCode: StatusCodes.Status403Forbidden);
                return null;
            default:
                problem = TypedResults.Problem(title: "Choose a tenant",
                    detail: $"You belong to several tenants; send \"tenant\" with one of: {string.Join(", ", memberships.Select(m => m.Slug))}.",
                    statusCode: StatusCodes.Status400BadRequest);
                return null;
        }
    }

    internal static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(title: "Not signed in", detail: detail, statusCode: StatusCodes.Status401Unauthorized);

    internal static ProblemHttpResult LockedOut(User user, HttpContext http)
    {
        var until = user.LockoutEnd ?? DateTimeOffset.UtcNow;
        var seconds = Math.Max(1, (int)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Account temporarily locked",
            detail: $"Too many wrong passwords: sign-in to this account is locked until {until:u}.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static Guid SessionIdOf(ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(JiraExportClaims.Session)!);

    private sealed record RefreshTokenOwner(Guid TenantId, Guid SessionId);

    internal sealed record MembershipMatch(Guid TenantId, string Slug, string Role)
    {
        public TenantRole TenantRole => Enum.Parse<TenantRole>(Role);
    }
}
