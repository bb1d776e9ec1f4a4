using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// The people of a tenant: list, change role, remove (invitations are in <see cref="InvitationsApi"/>). Owners alone touch the owner role, and a tenant always
/// keeps one owner. A changed or removed member's sessions end at once, so new rights apply to the next request.
/// </summary>
public static partial class UsersApi
{
    public static async Task<Results<Ok<ListPage<MemberResponse>>, ValidationProblem>> ListMembersV2(
        int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (members, next) = await db.TenantMemberships.AsNoTracking()
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { Membership = m, User = u })
            .NewestFirstAsync(x => x.Membership.CreatedAt, x => x.Membership.UserId, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. members.Select(x => ToResponse(x.Membership, x.User))], next, m => ListPages.V2($"/users/{m.UserId}")));
    }

    public static async Task<Ok<List<MemberResponse>>> ListMembers(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var members = await db.TenantMemberships.AsNoTracking()
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m, u })
            .OrderBy(x => x.u.Email)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(members.Select(x => ToResponse(x.m, x.u)).ToList());
    }

    public static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> ChangeRole(
        Guid userId,
        ChangeRoleRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        TokenService tokens,
        SecurityEventLog securityEvents,
        CancellationToken cancellationToken)
    {
        var role = ReadRole(request.Role!);
        var membership = await db.TenantMemberships.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberNotFound(userId);
        }

        if (membership.Role != role)
        {
            // Granting the owner role is an owner's act too, or an admin could make itself owner.
            if (role == TenantRole.Owner && !await IsOwnerAsync(caller, db, cancellationToken))
            {
                return OwnersOnly();
            }

            if (await CheckOwnerChangeAsync(membership, caller, db, cancellationToken) is { } refused)
            {
                return refused;
            }

            securityEvents.Add(SecurityEventTypes.RoleChanged, http, caller.GetUserId(),
                detail: $"user {userId}: {RoleName(membership.Role)} → {RoleName(role)}");
            membership.Role = role;
            await EndSessionsAsync(userId, "role changed", db, tokens, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        return TypedResults.Ok(ToResponse(membership, user));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        Guid userId,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        TokenService tokens,
        SecurityEventLog securityEvents,
        CancellationToken cancellationToken)
    {
        var membership = await db.TenantMemberships.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberNotFound(userId);
        }

        if (await CheckOwnerChangeAsync(membership, caller, db, cancellationToken) is { } refused)
        {
            return refused;
        }

        db.TenantMemberships.Remove(membership);
        await EndSessionsAsync(userId, "removed from the tenant", db, tokens, cancellationToken);
        securityEvents.Add(SecurityEventTypes.MemberRemoved, http, caller.GetUserId(), detail: $"user {userId} ({RoleName(membership.Role)}) removed");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Only owners change owners, and the last owner can be neither demoted nor removed.</summary>
    private static async Task<ProblemHttpResult?> CheckOwnerChangeAsync(
        TenantMembership target, ClaimsPrincipal caller, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (target.Role != TenantRole.Owner)
        {
            return null;
        }

        if (!await IsOwnerAsync(caller, db, cancellationToken))
        {
            return OwnersOnly();
        }

        return await db.TenantMemberships.CountAsync(m => m.Role == TenantRole.Owner, cancellationToken) > 1
            ? null
            : TypedResults.Problem(title: "Last owner", detail: "A tenant needs an owner: make someone else owner first.",
                statusCode: StatusCodes.Status409Conflict);
    }

    internal static async Task<bool> IsOwnerAsync(ClaimsPrincipal caller, JiraExportDbContext db, CancellationToken cancellationToken) =>
        caller.GetUserId() is { } callerId
        && await db.TenantMemberships.AnyAsync(m => m.UserId == callerId && m.Role == TenantRole.Owner, cancellationToken);

    private static async Task EndSessionsAsync(Guid userId, string reason, JiraExportDbContext db, TokenService tokens, CancellationToken cancellationToken)
    {
        var sessions = await db.UserSessions.Where(s => s.UserId == userId && s.RevokedAt == null).ToListAsync(cancellationToken);
        await tokens.RevokeAsync(sessions, reason);
    }

    /// <summary>The structural rules of <see cref="ChangeRoleRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(ChangeRoleRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        ParseRole(request.Role, errors);
        return errors;
    }

    /// <summary>The role of a request whose rules (<see cref="ParseRole"/>) already passed.</summary>
    internal static TenantRole ReadRole(string role) => Enum.Parse<TenantRole>(role, ignoreCase: true);

    internal static TenantRole ParseRole(string? role, Dictionary<string, string[]> errors)
    {
        if (role is not null && !int.TryParse(role, out _) && Enum.TryParse<TenantRole>(role, ignoreCase: true, out var parsed))
        {
            return parsed;
        }

        errors["role"] = ["The role must be one of owner, admin, member, viewer."];
        return default;
    }

    internal static string RoleName(TenantRole role) => role.ToString().ToLowerInvariant();

    internal static MemberResponse ToResponse(TenantMembership membership, User user) =>
        new(user.Id, user.Email ?? user.ContactEmail ?? string.Empty, user.DisplayName, RoleName(membership.Role), membership.CreatedAt);

    private static ProblemHttpResult MemberNotFound(Guid userId) => TypedResults.Problem(
        title: "Member not found", detail: $"User {userId} is not a member of this tenant.", statusCode: StatusCodes.Status404NotFound);

    internal static ProblemHttpResult OwnersOnly() => TypedResults.Problem(
        title: "Owners only", detail: "Only an owner of the tenant can grant, change or remove the owner role.",
        statusCode: StatusCodes.Status403Forbidden);
}
