using JiraExport.Core.Reports;
using System.Security.Claims;
using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Api.Preconditions;
using JiraExport.Api.Quotas;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The caller's own tenant and its settings: MFA policy, session limit, branding, defaults.</summary>
public static partial class TenantSettingsApi
{
    private const string RefuseNew = "refuse-new";
    private const string EvictOldest = "evict-oldest";

    public static async Task<Ok<TenantResponse>> GetTenant(HttpContext http, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        ResourceVersions.Tag(http, tenant);
        return TypedResults.Ok(ToResponse(tenant));
    }

    /// <summary>The structural rules of <see cref="UpdateTenantRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(UpdateTenantRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200))
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (request.MaxSessionsPerUser is < 0 or > 1000)
        {
            errors["maxSessionsPerUser"] = ["Give 1 to 1,000 sessions per user, or 0 for no limit."];
        }

        if (request.SessionLimitAction is not (null or RefuseNew or EvictOldest))
        {
            errors["sessionLimitAction"] = [$"Use \"{RefuseNew}\" or \"{EvictOldest}\"."];
        }

        if (request.BrandColor is { Length: > 0 } color && !HexColor().IsMatch(color))
        {
            errors["brandColor"] = ["Use a colour like \"#1d4ed8\", or \"\" to clear it."];
        }

        if (request.ExportRetentionDays is < 1 or > 3650)
        {
            errors["exportRetentionDays"] = ["Keep export files 1 to 3,650 days."];
        }

        return errors;
    }

    public static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> UpdateTenant(
        UpdateTenantRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        SecurityEventLog securityEvents,
        CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.SingleAsync(cancellationToken);
        if (await ResourceVersions.CheckIfMatchAsync(http, db, tenant, cancellationToken) is { } stale)
        {
            return stale;
        }

        tenant.Name = request.Name?.Trim() ?? tenant.Name;
        tenant.RequireMfa = request.RequireMfa ?? tenant.RequireMfa;
        tenant.MaxSessionsPerUser = request.MaxSessionsPerUser switch { null => tenant.MaxSessionsPerUser, 0 => null, var n => n };
        tenant.SessionLimitAction = request.SessionLimitAction switch
        {
            RefuseNew => SessionLimitAction.RefuseNew,
            EvictOldest => SessionLimitAction.EvictOldest,
            _ => tenant.SessionLimitAction,
        };
        tenant.BrandColor = request.BrandColor is null ? tenant.BrandColor : request.BrandColor.Length == 0 ? null : request.BrandColor.ToLowerInvariant();
        tenant.DefaultTemplate = request.DefaultTemplate ?? tenant.DefaultTemplate;
        if (request.ExportRetentionDays is { } days && days != tenant.ExportRetentionDays)
        {
            tenant.ExportRetentionDays = days;
            // Stored files follow the new retention from their completion; the Worker's sweep deletes those now past it.
            await db.Exports.Where(e => e.Status == ExportStatus.Succeeded && e.CompletedAt != null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, e => e.CompletedAt!.Value.AddDays(days)), cancellationToken);
        }

        if (db.Entry(tenant).Properties.Any(p => p.IsModified))
        {
            var changed = db.Entry(tenant).Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name);
            securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http,
                caller.GetUserId(),
                detail: "changed: " + string.Join(", ", changed));
            await db.SaveChangesAsync(cancellationToken);
        }

        ResourceVersions.Tag(http, tenant);
        return TypedResults.Ok(ToResponse(tenant));
    }

    public static async Task<Ok<UsageResponse>> GetUsage(JiraExportDbContext db, TenantQuotas quotas, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var (dayStart, nextDay) = quotas.Today();
        var since = DateOnly.FromDateTime(dayStart.UtcDateTime).AddDays(-30);
        var days = await db.TenantUsageDays.AsNoTracking()
            .Where(u => u.Day >= since)
            .OrderByDescending(u => u.Day)
            .Select(u => new UsageDayResponse(u.Day, u.ApiRequests, u.Exports, u.RenderedPages, u.StoredBytes, u.SyncRuns, u.Previews))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new UsageResponse(
            ToPlan(tenant),
            await db.JiraConnections.CountAsync(cancellationToken),
            await quotas.ExportsTodayAsync(cancellationToken),
            nextDay,
            await quotas.StoredBytesAsync(cancellationToken),
            days,
            tenant.MaxStoredMegabytes * JiraExport.Core.Storage.StorageQuota.BytesPerMegabyte));
    }

    internal static PlanResponse ToPlan(Tenant tenant) =>
        new(tenant.PlanName, tenant.MaxConnections, tenant.MaxExportsPerDay, tenant.MaxStoredMegabytes, tenant.MaxApiRequestsPerMinute);

    private static TenantResponse ToResponse(Tenant tenant) => new(
        tenant.Id, tenant.Name, tenant.Slug, tenant.CreatedAt,
        new TenantSettingsResponse(
            tenant.RequireMfa,
            tenant.MaxSessionsPerUser,
            tenant.SessionLimitAction == SessionLimitAction.EvictOldest ? EvictOldest : RefuseNew,
            tenant.BrandColor,
            tenant.DefaultTemplate,
            tenant.ExportRetentionDays));

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}

/// <summary>What <c>PATCH /tenant</c> checks in the store: a default template an export could name.</summary>
internal sealed class UpdateTenantValidator(JiraExportDbContext db) : IRequestValidator<UpdateTenantRequest>
{
    public async Task<RequestErrors> ValidateAsync(UpdateTenantRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        // Any template an export could name: a built-in one, or one of the tenant's with a published version.
        if (request.DefaultTemplate is { } template)
        {
            var templateErrors = new Dictionary<string, string[]>();
            await ExportTemplates.ResolveAsync(db, template, version: null, templateErrors, cancellationToken);
            if (templateErrors.Count > 0)
            {
                errors["defaultTemplate"] = [.. templateErrors.Values.SelectMany(e => e)];
            }
        }

        return errors;
    }
}
