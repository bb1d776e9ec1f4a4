using System.Security.Claims;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Extensions;
using JiraExport.Api.Idempotency;
using JiraExport.Api.Identity;
using JiraExport.Api.OpenApi;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>Machine credentials of the tenant: named, scoped, expiring and revocable; the secret is shown once.</summary>
public static class ApiKeysApi
{
    private const int MaxActiveKeys = 100;

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api-keys").WithTags("API keys")
            .RequireTenant().RequireAuthorization(Scopes.TenantAdmin);

        api.MapPost("/", CreateApiKey)
            .Idempotent()
            .WithName("CreateApiKey")
            .WithSummary("Create a scoped API key; the key is shown once");
        api.MapGet("/", ListApiKeys)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListApiKeys")
            .WithSummary("The tenant's API keys, without their secrets");
        api.MapGet("/", ListApiKeysV2)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListApiKeys")
            .WithSummary("The tenant's API keys, newest first, without their secrets");
        api.MapDelete("/{id:guid}", RevokeApiKey)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key at once");

        return app;
    }

    /// <summary>The structural rules of <see cref="CreateApiKeyRequest"/>; which scopes the caller may hand on is <see cref="CreateApiKeyValidator"/>'s.</summary>
    internal static Dictionary<string, string[]> Validate(CreateApiKeyRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required, e.g. \"nightly CI export\"."];
        }

        if (request.Scopes is not { Count: > 0 } scopes || scopes.Except(Scopes.All).Any())
        {
            errors["scopes"] = [$"Give one or more of: {string.Join(", ", Scopes.All)}."];
        }

        if (request.ExpiresAt is { } expiresAt && (expiresAt <= now || expiresAt > now.AddYears(2)))
        {
            errors["expiresAt"] = ["The expiry must lie in the future, at most two years ahead."];
        }

        return errors;
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateApiKey(
        CreateApiKeyRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        SecurityEventLog securityEvents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var name = request.Name!.Trim();
        var scopes = request.Scopes!.Distinct(StringComparer.Ordinal).ToList();
        if (await db.ApiKeys.CountAsync(k => k.RevokedAt == null, cancellationToken) >= MaxActiveKeys)
        {
            return TypedResults.Problem(title: "Too many API keys",
                detail: $"A tenant may have {MaxActiveKeys} active keys; revoke unused ones first.", statusCode: StatusCodes.Status409Conflict);
        }

        var secret = ApiKeys.Generate();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId!.Value,
            Name = name!,
            Prefix = ApiKeys.DisplayPrefix(secret),
            SecretHash = ApiKeys.Hash(secret),
            Scopes = string.Join(' ', scopes),
            ExpiresAt = request.ExpiresAt,
            CreatedAt = now,
            CreatedByUserId = caller.GetUserId(),
        };
        db.ApiKeys.Add(key);
        securityEvents.Add(SecurityEventTypes.ApiKeyCreated, http, key.CreatedByUserId, detail: $"key {key.Prefix}… \"{key.Name}\": {key.Scopes}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}", new CreatedApiKeyResponse(ToResponse(key), secret));
    }

    public static async Task<Results<Ok<ListPage<ApiKeyResponse>>, ValidationProblem>> ListApiKeysV2(
        int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (keys, next) = await db.ApiKeys.AsNoTracking().NewestFirstAsync(k => k.CreatedAt, k => k.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. keys.Select(ToResponse)], next, k => ListPages.V2($"/api-keys/{k.Id}")));
    }

    public static async Task<Ok<List<ApiKeyResponse>>> ListApiKeys(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(ToResponse).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(
        Guid id, ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, SecurityEventLog securityEvents, TimeProvider timeProvider,
        ApiKeyCache apiKeys, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return TypedResults.Problem(title: "API key not found", detail: $"There is no API key {id} in this tenant.",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = timeProvider.GetUtcNow();
            securityEvents.Add(SecurityEventTypes.ApiKeyRevoked, http,
                caller.GetUserId(),
                detail: $"key {key.Prefix}… \"{key.Name}\"");
            await db.SaveChangesAsync(cancellationToken);
        }

        // Every instance stops accepting the key before the revocation is answered.
        await db.AfterCommitAsync(token => apiKeys.ForgetAsync(key.SecretHash, token), cancellationToken);
        return TypedResults.NoContent();
    }

    private static ApiKeyResponse ToResponse(ApiKey key) => new(
        key.Id, key.Name, key.Prefix, key.Scopes?.Split(' ') ?? Scopes.All, key.CreatedAt, key.ExpiresAt, key.LastUsedAt, key.RevokedAt);
}

/// <summary>What <c>POST /api-keys</c> checks against the caller: nobody can hand a machine more than they hold themselves.</summary>
internal sealed class CreateApiKeyValidator : IRequestValidator<CreateApiKeyRequest>
{
    public Task<RequestErrors> ValidateAsync(CreateApiKeyRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (request.Scopes!.FirstOrDefault(s => !http.User.HasScope(s)) is { } notHeld)
        {
            errors["scopes"] = [$"You do not hold the scope {notHeld}, so you cannot give it to a key."];
        }

        return Task.FromResult(errors);
    }
}
