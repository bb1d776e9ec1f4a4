using JiraExport.Api.Audit;
using JiraExport.Core.Audit;
using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Mail;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// Inviting people. An invitation belongs to the inviting tenant; its token is mailed to the person and is the only way
/// to accept it. No tenant ever receives a token, sets a password or attaches itself to an account it does not own:
/// a new account gets the password its mailbox's owner chooses, an existing one keeps its own.
/// </summary>
public static class InvitationsApi
{
    /// <summary>Invitations a tenant may send in 24 hours.</summary>
    public const int MaxInvitationsPerDay = 200;

    private const string NotValid = "The invitation is not valid, was already used, or has expired; ask a tenant admin to invite you again.";

    /// <summary>The structural rules of <see cref="InviteUserRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(InviteUserRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || email.Length > 256
            || !System.Net.Mail.MailAddress.TryCreate(email, out var address) || address.Address != email || address.DisplayName.Length > 0)
        {
            errors["email"] = ["A plain email address (name@example.com) of at most 256 characters is required."];
        }

        UsersApi.ParseRole(request.Role, errors);
        return errors;
    }

    public static async Task<Results<Created<InvitationResponse>, ProblemHttpResult>> InviteUser(
        InviteUserRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        UserManager<User> users,
        JiraExportDbContext db,
        MailOutbox mail,
        AccountMails mails,
        SecurityEventLog securityEvents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var email = request.Email!.Trim().ToLowerInvariant();
        var role = UsersApi.ReadRole(request.Role!);
        if (role == TenantRole.Owner && !await UsersApi.IsOwnerAsync(caller, db, cancellationToken))
        {
            return UsersApi.OwnersOnly();
        }

        var normalized = users.NormalizeEmail(email);
        if (await db.TenantMemberships.Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.NormalizedEmail).AnyAsync(e => e == normalized, cancellationToken))
        {
            return TypedResults.Problem(title: "Already a member", detail: $"{email} is already a member of this tenant; change the role instead.",
                statusCode: StatusCodes.Status409Conflict);
        }

        // A tenant mails strangers through the platform's sender: bounded, so invitations cannot become a spam relay.
        var now = timeProvider.GetUtcNow();
        if (await db.Invitations.CountAsync(i => i.CreatedAt > now.AddDays(-1), cancellationToken) >= MaxInvitationsPerDay)
        {
            http.Response.Headers.RetryAfter = "3600";
            return TypedResults.Problem(title: "Too many invitations",
                detail: $"A tenant sends at most {MaxInvitationsPerDay} invitations in 24 hours; try again later.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        // Inviting again replaces the open invitation: the earlier token stops working.
        await db.Invitations.Where(i => i.Email == email && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);

        var token = InvitationTokens.Create();
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId!.Value,
            Email = email!,
            Role = role,
            TokenHash = InvitationTokens.Hash(token),
            InvitedByUserId = caller.GetUserId(),
            CreatedAt = now,
            ExpiresAt = now + Invitation.Lifetime,
        };
        db.Invitations.Add(invitation);
        var tenantName = await db.Tenants.Select(t => t.Name).SingleAsync(cancellationToken);
        mail.Enqueue(mails.Invitation(email!, tenantName, UsersApi.RoleName(role), token, invitation.ExpiresAt));
        securityEvents.Add(SecurityEventTypes.UserInvited, http, caller.GetUserId(), detail: $"{email} invited as {UsersApi.RoleName(role)}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/users/invitations/{invitation.Id}", ToResponse(invitation, now));
    }

    public static async Task<Results<Ok<ListPage<InvitationResponse>>, ValidationProblem>> ListInvitationsV2(
        TimeProvider timeProvider, int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = timeProvider.GetUtcNow();
        var (open, next) = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .NewestFirstAsync(i => i.CreatedAt, i => i.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. open.Select(i => ToResponse(i, now))], next, i => ListPages.V2($"/users/invitations/{i.Id}")));
    }

    public static async Task<Ok<List<InvitationResponse>>> ListInvitations(
        JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var open = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(open.Select(i => ToResponse(i, now)).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeInvitation(
        Guid id, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null)
        {
            return TypedResults.Problem(title: "Invitation not found", detail: $"No invitation {id} exists in this tenant.",
                statusCode: StatusCodes.Status404NotFound);
        }

        invitation.Revoke(timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AcceptedInvitationResponse>, ValidationProblem, ProblemHttpResult>> AcceptInvitation(
        AcceptInvitationRequest request,
        HttpContext http,
        UserManager<User> users,
        JiraExportDbContext db,
        TenantContext tenantContext,
        SecurityEventLog securityEvents,
        AuditTrail trail,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (!InvitationTokens.LooksValid(request.Token) || request.Password is { Length: > 1024 } || request.DisplayName is { Length: > 200 })
        {
            return Invalid("token", $"The token from the invitation mail (it starts with \"{InvitationTokens.Prefix}\") is required.");
        }

        var hash = InvitationTokens.Hash(request.Token!);
        var matches = await db.Database
            .SqlQuery<InvitationMatch>($"SELECT tenant_id AS \"TenantId\", invitation_id AS \"InvitationId\" FROM find_invitation({hash})")
            .ToListAsync(cancellationToken);
        if (matches is not [var match])
        {
            return Invalid("token", NotValid);
        }

        tenantContext.Set(match.TenantId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The row lock makes two uses of one token take turns: the second finds it accepted.
        var invitation = await db.Invitations.FromSql($"SELECT * FROM invitations WHERE id = {match.InvitationId} FOR UPDATE")
            .SingleAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (!invitation.IsOpen(now) || await db.Tenants.Select(t => t.Status).SingleAsync(cancellationToken) != TenantStatus.Active)
        {
            return Invalid("token", NotValid);
        }

        var (user, created, refused) = await ClaimAccountAsync(invitation.Email, request, users, now, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (!await db.TenantMemberships.AnyAsync(m => m.UserId == user!.Id, cancellationToken))
        {
            db.TenantMemberships.Add(new TenantMembership { TenantId = invitation.TenantId, UserId = user!.Id, Role = invitation.Role, CreatedAt = now });
        }

        invitation.Accept(user!.Id, now);
        securityEvents.Add(SecurityEventTypes.InvitationAccepted, http, user.Id,
            detail: $"{invitation.Email} joined as {UsersApi.RoleName(invitation.Role)}{(created ? " with a new account" : "")}");
        var slug = await db.Tenants.Select(t => t.Slug).SingleAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await trail.AppendRequestAsync(http, PrincipalKinds.User, user.Id, StatusCodes.Status200OK, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new AcceptedInvitationResponse(invitation.TenantId, slug, user.Id, invitation.Email,
            UsersApi.RoleName(invitation.Role), created));
    }

    /// <summary>
    /// The account the invitation's mailbox owns. A new one gets the chosen password. One that never proved its mailbox
    /// (someone signed up with this email without reading it) is taken over by the mailbox's owner: its password, second
    /// factor and security stamp are replaced. A verified account is joined as it is, with its own password.
    /// </summary>
    private static async Task<(User? User, bool Created, ValidationProblem? Refused)> ClaimAccountAsync(
        string email, AcceptInvitationRequest request, UserManager<User> users, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        // Verified and signing in with its own password: joined as it is. One without a password (made by an older
        // invitation or provider) is the mailbox owner's to claim, like an unverified one.
        if (user is { EmailConfirmed: true } && await users.HasPasswordAsync(user))
        {
            return string.IsNullOrEmpty(request.Password)
                ? (user, false, null)
                : (null, false, Invalid("password",
                    "This email already has an account: accept without a password, then sign in with the account's own."));
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            return (null, false, Invalid("password", "Choose a password of at least 12 characters for your new account."));
        }

        IdentityResult result;
        var created = user is null;
        if (user is null)
        {
            user = new User
            {
                Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
                DisplayName = request.DisplayName?.Trim(), CreatedAt = now,
            };
            result = await users.CreateAsync(user, request.Password);
        }
        else
        {
            result = await users.HasPasswordAsync(user) ? await users.RemovePasswordAsync(user) : IdentityResult.Success;
            result = result.Succeeded ? await users.AddPasswordAsync(user, request.Password) : result;
            if (result.Succeeded)
            {
                user.EmailConfirmed = true;
                user.TwoFactorEnabled = false;
                await users.ResetAuthenticatorKeyAsync(user);
                result = await users.UpdateSecurityStampAsync(user);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return result.Succeeded
            ? (user, created, null)
            : (null, false, Invalid("password", [.. result.Errors.Select(e => e.Description)]));
    }

    private static InvitationResponse ToResponse(Invitation invitation, DateTimeOffset now) => new(
        invitation.Id, invitation.Email, UsersApi.RoleName(invitation.Role), invitation.CreatedAt, invitation.ExpiresAt,
        invitation.AcceptedAt is not null ? "accepted"
        : invitation.RevokedAt is not null ? "revoked"
        : invitation.ExpiresAt <= now ? "expired"
        : "pending");

    private static ValidationProblem Invalid(string field, params string[] messages) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = messages });

    private sealed record InvitationMatch(Guid TenantId, Guid InvitationId);
}
