using JiraExport.Api.Audit;
using JiraExport.Core.Audit;
using JiraExport.Api.Apis;
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

namespace JiraExport.Api.Sso;

/// <summary>A person as the tenant's identity provider vouches for them.</summary>
public sealed record SsoIdentity(string Protocol, string Subject, string? Email, bool EmailVerified, string? DisplayName);

/// <summary>
/// The end of every SSO sign-in, whatever the protocol: find the member the provider's person is, or make them one,
/// and start a session. A person is known first by the provider's subject (linked on first sign-in, per tenant),
/// then by an email the provider has verified; provisioning, when the tenant allows it, adds the rest.
/// </summary>
public sealed class SsoSignIn(
    UserManager<User> users,
    JiraExportDbContext db,
    TenantContext tenantContext,
    TokenService tokens,
    SecurityEventLog securityEvents,
    AuditTrail trail,
    TimeProvider timeProvider)
{
    public const string OidcProtocol = SsoLoginProviders.Oidc;
    public const string SamlProtocol = SsoLoginProviders.Saml;

    /// <summary>The SSO settings of the tenant an SSO route names by slug (all off when it has none); null when there is no such tenant.</summary>
    public async Task<TenantSsoSettings?> FindSettingsAsync(string tenantSlug, CancellationToken cancellationToken)
    {
        if (tenantSlug.Length > 100)
        {
            return null;
        }

        var tenantIds = await db.Database.SqlQuery<Guid>($"SELECT tenant_id AS \"Value\" FROM find_tenant_by_slug({tenantSlug})").ToListAsync(cancellationToken);
        if (tenantIds is not [var tenantId])
        {
            return null;
        }

        tenantContext.Set(tenantId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        return await db.TenantSsoSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new TenantSsoSettings { TenantId = tenantId };
    }

    public async Task<(TokenPairResponse? Tokens, ProblemHttpResult? Refused)> SignInAsync(
        TenantSsoSettings settings, SsoIdentity identity, HttpContext http, CancellationToken cancellationToken)
    {
        var loginProvider = SsoLoginProviders.For(identity.Protocol, settings.TenantId);
        TenantMembership? membership;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Checked before anything is linked or provisioned; the session itself is refused again by TokenService.
            var status = await db.Tenants.Select(t => t.Status).SingleAsync(cancellationToken);
            if (status != TenantStatus.Active)
            {
                return (null, TenantGate.Inactive(status));
            }

            var user = await users.FindByLoginAsync(loginProvider, identity.Subject)
                ?? await LinkOrProvisionAsync(settings, identity, loginProvider, http, cancellationToken);
            membership = await db.TenantMemberships.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == user.Id, cancellationToken)
                ?? throw new SsoException("Your account is not a member of this tenant any more; ask a tenant admin to invite you again.",
                    StatusCodes.Status403Forbidden);
            await transaction.CommitAsync(cancellationToken);
        }

        return await tokens.SignInAsync(membership.UserId, settings.TenantId, membership.Role, http, $"sso:{identity.Protocol}", cancellationToken);
    }

    /// <summary>Records a refused sign-in in the tenant's security log, in a unit of work of its own.</summary>
    public Task RecordFailureAsync(Guid tenantId, string protocol, string reason, HttpContext http, CancellationToken cancellationToken) =>
        securityEvents.RecordInTenantsAsync([tenantId], SecurityEventTypes.SsoFailed, http, userId: null,
            $"{protocol}: {(reason.Length > 900 ? reason[..900] : reason)}", cancellationToken);

    private async Task<User> LinkOrProvisionAsync(
        TenantSsoSettings settings, SsoIdentity identity, string loginProvider, HttpContext http, CancellationToken cancellationToken)
    {
        if (identity.Email is not { Length: > 0 and <= 256 } email || !email.Contains('@', StringComparison.Ordinal) || !identity.EmailVerified)
        {
            throw new SsoException(
                "The identity provider did not vouch for an email address (a verified email is needed to match you to an account).",
                StatusCodes.Status403Forbidden);
        }

        // Linked by email only to a member of this tenant whose mailbox is proven. Anyone else becomes an identity of this
        // tenant alone: a tenant's provider must never reach the global account of the same email (another tenant's
        // person), nor an account that never proved its mailbox.
        var user = await users.FindByEmailAsync(email);
        var linkable = user is { EmailConfirmed: true, HomeTenantId: null }
                       && await db.TenantMemberships.AnyAsync(m => m.UserId == user.Id, cancellationToken);
        if (!linkable)
        {
            if (!settings.ProvisionUsers)
            {
                throw new SsoException(
                    $"No member of this tenant has the email {email}; ask a tenant admin to invite you, or to turn on provisioning for single sign-on.",
                    StatusCodes.Status403Forbidden);
            }

            var now = timeProvider.GetUtcNow();
            user = new User
            {
                Id = Guid.CreateVersion7(),
                // Unique and never an email: this identity signs in through its provider only.
                UserName = $"sso.{settings.TenantId:N}.{Guid.NewGuid():N}",
                HomeTenantId = settings.TenantId,
                ContactEmail = email,
                DisplayName = identity.DisplayName,
                CreatedAt = now,
            };
            Check(await users.CreateAsync(user));
            db.TenantMemberships.Add(new TenantMembership { TenantId = settings.TenantId, UserId = user.Id, Role = settings.ProvisionedRole, CreatedAt = now });
            securityEvents.Add(SecurityEventTypes.UserProvisioned, http, user.Id,
                detail: $"{email} joined as {UsersApi.RoleName(settings.ProvisionedRole)} through {identity.Protocol}");
            await db.SaveChangesAsync(cancellationToken);
            await trail.AppendRequestAsync(http, PrincipalKinds.User, user.Id, StatusCodes.Status200OK, cancellationToken);
        }

        Check(await users.AddLoginAsync(user!, new UserLoginInfo(loginProvider, identity.Subject, identity.Protocol)));
        return user!;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new SsoException("Your account could not be set up: " + string.Join(" ", result.Errors.Select(e => e.Description)),
                StatusCodes.Status409Conflict);
        }
    }
}
