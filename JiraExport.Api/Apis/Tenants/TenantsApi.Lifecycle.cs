using JiraExport.Api.Contracts;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Api.Audit;
using JiraExport.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JiraExport.Api.Apis;

/// <summary>What a platform admin's change to a tenant runs with (bound from the request and its services).</summary>
public sealed record TenantChange(
    HttpContext Http, [FromServices] JiraExportDbContext Db, [FromServices] TenantContext TenantContext, [FromServices] TenantGate Gate,
    [FromServices] AuditTrail Trail);

public static partial class TenantsApi
{
    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> SetPlan(
        Guid id, UpdatePlanRequest request, [AsParameters] TenantChange change, CancellationToken cancellationToken)
    {
        var tenant = await ChangeTenantAsync(id, change, tenant =>
        {
            tenant.PlanName = request.Name!.Trim();
            tenant.MaxConnections = request.MaxConnections!.Value;
            tenant.MaxExportsPerDay = request.MaxExportsPerDay!.Value;
            tenant.MaxStoredMegabytes = request.MaxStoredMegabytes!.Value;
            tenant.MaxApiRequestsPerMinute = request.MaxApiRequestsPerMinute!.Value;
        }, cancellationToken);
        if (tenant is null)
        {
            return TenantNotFound(id);
        }

        return TypedResults.Ok(TenantSettingsApi.ToPlan(tenant));
    }

    public static Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> Suspend(
        Guid id, [AsParameters] TenantChange change, CancellationToken cancellationToken) =>
        SetStatusAsync(id, TenantStatus.Suspended, purgeAfter: null, change, cancellationToken);

    public static Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> Resume(
        Guid id, [AsParameters] TenantChange change, CancellationToken cancellationToken) =>
        SetStatusAsync(id, TenantStatus.Active, purgeAfter: null, change, cancellationToken);

    public static async Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> ScheduleDeletion(
        Guid id, ScheduleDeletionRequest request, [AsParameters] TenantChange change, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var days = request.PurgeAfterDays ?? 30;

        return await SetStatusAsync(id, TenantStatus.DeletionScheduled, timeProvider.GetUtcNow().AddDays(days), change, cancellationToken);
    }

    private static async Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> SetStatusAsync(
        Guid id, TenantStatus status, DateTimeOffset? purgeAfter, TenantChange change, CancellationToken cancellationToken)
    {
        var tenant = await ChangeTenantAsync(id, change, tenant =>
        {
            tenant.Status = status;
            tenant.PurgeAfter = purgeAfter;
        }, cancellationToken);
        return tenant is null
            ? TenantNotFound(id)
            : TypedResults.Ok(new TenantStatusResponse(tenant.Id, ToStatusName(tenant.Status), tenant.PurgeAfter));
    }

    /// <summary>
    /// The platform admin acts for the tenant named in the route, so row-level security admits exactly its row; the change
    /// goes into the tenant's audit trail with it, and every instance forgets the tenant's cached state before it is answered.
    /// </summary>
    private static async Task<Tenant?> ChangeTenantAsync(Guid id, TenantChange services, Action<Tenant> change, CancellationToken cancellationToken)
    {
        var (http, db, tenantContext, gate, trail) = services;
        tenantContext.Set(id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenant = await db.Tenants.SingleOrDefaultAsync(cancellationToken);
        if (tenant is null)
        {
            return null;
        }

        change(tenant);
        await db.SaveChangesAsync(cancellationToken);
        await trail.AppendPlatformAdminActionAsync(http, StatusCodes.Status200OK, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await gate.ForgetAsync(id);
        return tenant;
    }

    private static string ToStatusName(TenantStatus status) => status switch
    {
        TenantStatus.Active => "active",
        TenantStatus.Suspended => "suspended",
        _ => "deletion-scheduled",
    };

    internal static ProblemHttpResult TenantNotFound(Guid id) =>
        TypedResults.Problem(title: "Tenant not found", detail: $"There is no tenant {id}.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<Results<Created<CreatedTenantResponse>, ProblemHttpResult>> CreateTenant(
        CreateTenantRequest request, HttpContext http, JiraExportDbContext db, TenantContext tenantContext, AuditTrail trail, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
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
            // The trail's first entry: who made the tenant.
            await trail.AppendPlatformAdminActionAsync(http, StatusCodes.Status201Created, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TenantValidation.SlugTaken(tenant.Slug);
        }

        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", new CreatedTenantResponse(tenant.Id, tenant.Name, tenant.Slug, apiKey));
    }
}
