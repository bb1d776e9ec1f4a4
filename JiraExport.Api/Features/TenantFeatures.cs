using System.Security.Claims;
using JiraExport.Api.Auth;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace JiraExport.Api.Features;

/// <summary>
/// Which variant of a feature this request's caller gets: the tenant's override when the operator set one, else the
/// feature's allocation with the caller as the targeting user and the tenant as its group. Each answer is counted
/// (<see cref="FeatureMetrics"/>) and recorded as the caller's assignment (<c>feature_assignments</c>), so an
/// experiment's arms can be compared.
/// </summary>
public sealed class TenantFeatures(
    IVariantFeatureManager features, JiraExportDbContext db, TenantContext tenant, FeatureMetrics metrics, TimeProvider timeProvider)
{
    public async Task<string> VariantOfAsync(string feature, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("Features are decided within a tenant.");
        var subject = SubjectOf(caller);
        var forced = await db.TenantFeatureOverrides.AsNoTracking().Where(o => o.Feature == feature).Select(o => o.Variant)
            .SingleOrDefaultAsync(cancellationToken);
        var variant = forced ?? (await features.GetVariantAsync(feature, TargetingOf(subject, tenantId), cancellationToken))?.Name ?? FeatureFlags.Off;
        metrics.Assigned(feature, variant, forced is null ? "allocation" : "override");

        // Written when it changes only, in the request's own transaction (and under its tenant's row-level security).
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO feature_assignments (tenant_id, subject, feature, variant, assigned_at)
            VALUES ({tenantId}, {subject}, {feature}, {variant}, {timeProvider.GetUtcNow()})
            ON CONFLICT (tenant_id, feature, subject) DO UPDATE SET variant = excluded.variant, assigned_at = excluded.assigned_at
            WHERE feature_assignments.variant <> excluded.variant
            """, cancellationToken);
        return variant;
    }

    /// <summary>The caller a variant sticks to: the member, or the API key (an integration is one caller).</summary>
    private static string SubjectOf(ClaimsPrincipal caller) =>
        caller.GetUserId() is { } userId ? $"user:{userId}"
        : caller.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim) is { } keyId ? $"api-key:{keyId}"
        : throw new InvalidOperationException("Features are decided for a signed-in caller.");

    private static TargetingContext TargetingOf(string subject, Guid tenantId) => new() { UserId = subject, Groups = [$"tenant:{tenantId}"] };
}
