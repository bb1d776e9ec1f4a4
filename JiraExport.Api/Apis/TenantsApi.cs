using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JiraExport.Api.Apis;

public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/v{version:apiVersion}/tenants").HasApiVersion(1.0).WithTags("Tenants");

        api.MapPost("/", CreateTenant)
            .AddEndpointFilter<AdminKeyFilter>()
            .WithName("CreateTenant")
            .WithSummary("Create a tenant and its first API key (platform admin only)");

        return app;
    }

    public static async Task<Results<Created<CreatedTenantResponse>, ValidationProblem, ProblemHttpResult>> CreateTenant(
        CreateTenantRequest request, JiraExportDbContext db, TenantContext tenantContext, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        TenantValidation.Validate(request.Name, request.Slug, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = timeProvider.GetUtcNow();
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = request.Name!.Trim(), Slug = request.Slug!, CreatedAt = now };
        var apiKey = ApiKeys.Generate();

        // Row-level security admits the new rows only once the transaction acts for the new tenant.
        tenantContext.Set(tenant.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Tenants.Add(tenant);
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.Id,
            Name = "default",
            Prefix = ApiKeys.DisplayPrefix(apiKey),
            SecretHash = ApiKeys.Hash(apiKey),
            CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TenantValidation.SlugTaken(tenant.Slug);
        }

        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", new CreatedTenantResponse(tenant.Id, tenant.Name, tenant.Slug, apiKey));
    }
}
