using JiraExport.Api.Contracts;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JiraExport.Api.Apis;

public static partial class TenantsApi
{
    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> SetPlan(
        Guid id, UpdatePlanRequest request, JiraExportDbContext db, TenantContext tenantContext, TenantGate gate,
        CancellationToken cancellationToken)
    {
        var tenant = await ChangeTenantAsync(id, db, tenantContext, gate, tenant =>
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
        Guid id, JiraExportDbContext db, TenantContext tenantContext, TenantGate gate, CancellationToken cancellationToken) =>
        SetStatusAsync(id, TenantStatus.Suspended, purgeAfter: null, db, tenantContext, gate, cancellationToken);

    public static Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> Resume(
        Guid id, JiraExportDbContext db, TenantContext tenantContext, TenantGate gate, CancellationToken cancellationToken) =>
        SetStatusAsync(id, TenantStatus.Active, purgeAfter: null, db, tenantContext, gate, cancellationToken);

    public static async Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> ScheduleDeletion(
        Guid id, ScheduleDeletionRequest request, JiraExportDbContext db, TenantContext tenantContext, TenantGate gate,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var days = request.PurgeAfterDays ?? 30;

        return await SetStatusAsync(
            id, TenantStatus.DeletionScheduled, timeProvider.GetUtcNow().AddDays(days), db, tenantContext, gate, cancellationToken);
    }

    private static async Task<Results<Ok<TenantStatusResponse>, ProblemHttpResult>> SetStatusAsync(
        Guid id, TenantStatus status, DateTimeOffset? purgeAfter, JiraExportDbContext db, TenantContext tenantContext, TenantGate gate,
        CancellationToken cancellationToken)
    {
        var tenant = await ChangeTenantAsync(id, db, tenantContext, gate, tenant =>
        {
            tenant.Status = status;
            tenant.PurgeAfter = purgeAfter;
        }, cancellationToken);
        return tenant is null
            ? TenantNotFound(id)
            : TypedResults.Ok(new TenantStatusResponse(tenant.Id, ToStatusName(tenant.Status), tenant.PurgeAfter));
    }

    /// <summary>
    /// The platform admin acts for the tenant named in the route, so row-level security admits exactly its row; every
    /// instance forgets the tenant's cached state before the change is answered.
    /// </summary>
    private static async Task<Tenant?> ChangeTenantAsync(
        Guid id, JiraExportDbContext db, TenantContext tenantContext, TenantGate gate, Action<Tenant> change, CancellationToken cancellationToken)
    {
        tenantContext.Set(id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenant = await db.Tenants.SingleOrDefaultAsync(cancellationToken);
        if (tenant is null)
        {
            return null;
        }

        change(tenant);
        await db.SaveChangesAsync(cancellationToken);
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
        CreateTenantRequest request, JiraExportDbContext db, TenantContext tenantContext, TimeProvider timeProvider, CancellationToken cancellationToken)
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
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TenantValidation.SlugTaken(tenant.Slug);
        }

        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", new CreatedTenantResponse(tenant.Id, tenant.Name, tenant.Slug, apiKey));
    }
}
