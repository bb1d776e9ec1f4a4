using System.Security.Claims;
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

        await RecordAsync(tenantId, subject, feature, variant, cancellationToken);
        return variant;
    }

    /// <summary>
    /// Keeps the caller's assignment, writing only when it is new or changed: a read, then an insert that never waits on
    /// another (<c>DO NOTHING</c>) or an update of a changed arm, so concurrent requests of one caller do not queue
    /// behind a row lock held for the rest of their transaction.
    /// </summary>
    private async Task RecordAsync(Guid tenantId, string subject, string feature, string variant, CancellationToken cancellationToken)
    {
        var recorded = await db.FeatureAssignments.AsNoTracking().Where(a => a.Feature == feature && a.Subject == subject).Select(a => a.Variant)
            .SingleOrDefaultAsync(cancellationToken);
        if (recorded == variant)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        await (recorded is null
            ? db.Database.ExecuteSqlAsync($"""
                INSERT INTO feature_assignments (tenant_id, subject, feature, variant, assigned_at)
                VALUES ({tenantId}, {subject}, {feature}, {variant}, {now}) ON CONFLICT DO NOTHING
                """, cancellationToken)
            : db.FeatureAssignments.Where(a => a.Feature == feature && a.Subject == subject)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.Variant, variant).SetProperty(x => x.AssignedAt, now), cancellationToken));
    }

    /// <summary>The caller a variant sticks to: the member, or the API key (an integration is one caller).</summary>
    private static string SubjectOf(ClaimsPrincipal caller) =>
        caller.GetUserId() is { } userId ? $"user:{userId}"
        : caller.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim) is { } keyId ? $"api-key:{keyId}"
        : throw new InvalidOperationException("Features are decided for a signed-in caller.");

    private static TargetingContext TargetingOf(string subject, Guid tenantId) => new() { UserId = subject, Groups = [$"tenant:{tenantId}"] };
}
