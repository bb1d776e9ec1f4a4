using JiraExport.Api.Audit;
using JiraExport.Core.Audit;
using JiraExport.Core.Caching;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;

namespace JiraExport.Api.Apis;

/// <summary>
/// The platform operator's view of one tenant's features (<c>tenants/{id}/features</c>): each feature's variants, the
/// tenant's override and its callers' assignments; an override forces a variant for the whole tenant until removed.
/// </summary>
public static class TenantFeaturesApi
{
    public static async Task<Results<Ok<FeatureListResponse>, ProblemHttpResult>> ListFeatures(
        Guid id, JiraExportDbContext db, TenantContext tenantContext, IFeatureDefinitionProvider definitions, CancellationToken cancellationToken)
    {
        var items = await AsTenantAsync(id, db, tenantContext, async () =>
        {
            var items = new List<FeatureResponse>();
            await foreach (var definition in definitions.GetAllFeatureDefinitionsAsync().WithCancellation(cancellationToken))
            {
                items.Add(await DescribeAsync(definition, db, cancellationToken));
            }

            return items;
        }, cancellationToken);
        return items is null
            ? TenantsApi.TenantNotFound(id)
            : TypedResults.Ok(new FeatureListResponse([.. items.OrderBy(f => f.Name, StringComparer.Ordinal)]));
    }

    public static async Task<Results<Ok<FeatureResponse>, ValidationProblem, ProblemHttpResult>> OverrideFeature(
        Guid id, string feature, FeatureOverrideRequest request, HttpContext http, JiraExportDbContext db, TenantContext tenantContext,
        IFeatureDefinitionProvider definitions, ReadCacheEvictor readCache, AuditTrail trail, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await definitions.GetFeatureDefinitionAsync(feature) is not { } definition)
        {
            return FeatureNotFound(feature);
        }

        var variants = VariantsOf(definition);
        if (request.Variant is not { } variant || !variants.Contains(variant, StringComparer.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["variant"] = [$"Name one of {feature}'s variants: {string.Join(", ", variants)}."],
            });
        }

        var described = await AsTenantAsync(id, db, tenantContext, async () =>
        {
            var existing = await db.TenantFeatureOverrides.SingleOrDefaultAsync(o => o.Feature == definition.Name, cancellationToken);
            if (existing is null)
            {
                db.TenantFeatureOverrides.Add(new TenantFeatureOverride { TenantId = id, Feature = definition.Name, Variant = variant, SetAt = timeProvider.GetUtcNow() });
            }
            else
            {
                (existing.Variant, existing.SetAt) = (variant, timeProvider.GetUtcNow());
            }

            await db.SaveChangesAsync(cancellationToken);
            await EvictCachedReadsAsync(id, db, readCache, cancellationToken);
            await trail.AppendPlatformAdminActionAsync(http, StatusCodes.Status200OK, cancellationToken);
            return await DescribeAsync(definition, db, cancellationToken);
        }, cancellationToken);
        return described is null ? TenantsApi.TenantNotFound(id) : TypedResults.Ok(described);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveFeatureOverride(
        Guid id, string feature, HttpContext http, JiraExportDbContext db, TenantContext tenantContext, IFeatureDefinitionProvider definitions,
        ReadCacheEvictor readCache, AuditTrail trail, CancellationToken cancellationToken)
    {
        if (await definitions.GetFeatureDefinitionAsync(feature) is not { } definition)
        {
            return FeatureNotFound(feature);
        }

        var removed = await AsTenantAsync(id, db, tenantContext, async () =>
        {
            var count = await db.TenantFeatureOverrides.Where(o => o.Feature == definition.Name).ExecuteDeleteAsync(cancellationToken);
            await EvictCachedReadsAsync(id, db, readCache, cancellationToken);
            await trail.AppendPlatformAdminActionAsync(http, StatusCodes.Status204NoContent, cancellationToken);
            return (int?)count;
        }, cancellationToken);
        return removed is null ? TenantsApi.TenantNotFound(id) : TypedResults.NoContent();
    }

    /// <summary>A feature can change what a read answers (a v2 issue search with fields): the tenant's cached reads go.</summary>
    private static async Task EvictCachedReadsAsync(Guid id, JiraExportDbContext db, ReadCacheEvictor readCache, CancellationToken cancellationToken)
    {
        foreach (var resource in ReadCacheTags.All)
        {
            await readCache.EvictAsync(db, id, resource, "feature override", cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as the tenant, in one transaction (row-level security is set per transaction);
    /// null when the tenant does not exist.
    /// </summary>
    private static async Task<T?> AsTenantAsync<T>(
        Guid id, JiraExportDbContext db, TenantContext tenantContext, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        tenantContext.Set(id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Tenants.AnyAsync(cancellationToken))
        {
            return default;
        }

        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<FeatureResponse> DescribeAsync(FeatureDefinition definition, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var forced = await db.TenantFeatureOverrides.AsNoTracking().Where(o => o.Feature == definition.Name).Select(o => o.Variant)
            .SingleOrDefaultAsync(cancellationToken);
        var assignments = await db.FeatureAssignments.AsNoTracking().Where(a => a.Feature == definition.Name)
            .GroupBy(a => a.Variant).Select(g => new { Variant = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Variant, g => g.Count, cancellationToken);
        return new FeatureResponse(definition.Name, VariantsOf(definition), forced, assignments);
    }

    private static List<string> VariantsOf(FeatureDefinition definition) => [.. (definition.Variants ?? []).Select(v => v.Name)];

    private static ProblemHttpResult FeatureNotFound(string feature) => TypedResults.Problem(title: "Feature not found",
        detail: $"There is no feature '{feature}'; GET /api/v2/tenants/{{id}}/features lists them.", statusCode: StatusCodes.Status404NotFound);
}
