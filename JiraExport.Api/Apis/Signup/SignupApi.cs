using JiraExport.Api.Audit;
using JiraExport.Core.Audit;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Api.Throttling;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JiraExport.Api.Apis;

public static class SignupApi
{
    public static IEndpointRouteBuilder MapSignupApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("signup").WithTags("Tenants")
            .MapPost("/", Signup)
            .AllowAnonymous()
            .RequireAdminKeyUnlessSignupIsOpen()
            .RequireAnonymousThrottling()
            .WithName("Signup")
            .WithSummary("Create a tenant and its owner (open, or with the admin key when signup is closed)");
        // Confirming the owner's email is under auth/ (AuthApi's table).
        return app;
    }

    /// <summary>The structural rules of <see cref="SignupRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(SignupRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        TenantValidation.Validate(request.TenantName, request.Slug, errors, nameField: "tenantName");
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256 || !request.Email.Contains('@', StringComparison.Ordinal))
        {
            errors["email"] = ["An email address of at most 256 characters is required."];
        }

        return errors;
    }

    public static async Task<Results<Created<SignupResponse>, ValidationProblem, ProblemHttpResult>> Signup(
        SignupRequest request,
        HttpContext http,
        UserManager<User> users,
        JiraExportDbContext db,
        TenantContext tenantContext,
        SecurityEventLog securityEvents,
        EmailVerifications verifications,
        AuditTrail trail,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = request.TenantName!.Trim(), Slug = request.Slug!, CreatedAt = now };
        var email = request.Email!.Trim();
        var user = new User { Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = request.DisplayName?.Trim(), CreatedAt = now };

        // Tenant, owner and membership land together or not at all.
        tenantContext.Set(tenant.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TenantValidation.SlugTaken(tenant.Slug);
        }

        var created = await users.CreateAsync(user, request.Password ?? string.Empty);
        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                ? TypedResults.Problem(title: "Email already registered",
                    detail: "An account with this email exists; sign in with it instead, or use another email.",
                    statusCode: StatusCodes.Status409Conflict)
                : TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email"] =
                        [.. created.Errors.Select(e => e.Description)],
                });
        }

        db.TenantMemberships.Add(new TenantMembership { TenantId = tenant.Id, UserId = user.Id, Role = TenantRole.Owner, CreatedAt = now });
        securityEvents.Add(SecurityEventTypes.Signup, http, user.Id, detail: $"tenant {tenant.Slug} created with owner {email}");
        // The owner signs in once the mailbox is proven: an email typed here is only a claim.
        await verifications.QueueAsync(user);
        await db.SaveChangesAsync(cancellationToken);
        // The trail's first entry: who made the tenant.
        await trail.AppendRequestAsync(http, PrincipalKinds.User, user.Id, StatusCodes.Status201Created, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", new SignupResponse(tenant.Id, tenant.Slug, user.Id, email, EmailVerificationSent: true));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> VerifyEmail(
        VerifyEmailRequest request, HttpContext http, UserManager<User> users, CancellationToken cancellationToken)
    {
        const string NotValid = "The email, password or token is wrong, or the token has expired; sign in to have a new one mailed.";
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256 || string.IsNullOrEmpty(request.Token)
            || request.Token.Length > 2048 || string.IsNullOrEmpty(request.Password) || request.Password.Length > 1024)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["token"] = ["The email, the token from the mail and the account's password are required."],
            });
        }

        var user = await users.FindByEmailAsync(request.Email.Trim());
        if (user is null || user.EmailConfirmed)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = [NotValid] });
        }

        if (await users.IsLockedOutAsync(user))
        {
            return AuthApi.LockedOut(user, http);
        }

        // Wrong passwords count towards the lockout here as at sign-in.
        if (!await users.CheckPasswordAsync(user, request.Password))
        {
            await users.AccessFailedAsync(user);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = [NotValid] });
        }

        cancellationToken.ThrowIfCancellationRequested();
        var confirmed = await users.ConfirmEmailAsync(user, request.Token);
        return confirmed.Succeeded
            ? TypedResults.NoContent()
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = [NotValid] });
    }
}
