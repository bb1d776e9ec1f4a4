using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The tenant's export policy: a watermark every PDF export carries, whatever the request asks.</summary>
public static class TenantExportPolicyApi
{
    public static async Task<Ok<ExportPolicyResponse>> GetExportPolicy(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var settings = await db.TenantPdfSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new ExportPolicyResponse(settings?.WatermarkPolicy, settings?.WatermarkPolicy is null ? null : settings.UpdatedAt));
    }

    /// <summary>The structural rules of <see cref="ExportPolicyRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(ExportPolicyRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Watermark is null)
        {
            errors["watermark"] = ["A watermark is required, e.g. {\"text\": \"CONFIDENTIAL — {user} — {date}\"}; DELETE removes the policy."];
        }
        else
        {
            ExportOptionsValidation.ValidateWatermark(request.Watermark, "watermark", errors);
        }

        return errors;
    }

    public static async Task<Ok<ExportPolicyResponse>> UpdateExportPolicy(
        ExportPolicyRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        SecurityEventLog securityEvents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var settings = await db.TenantPdfSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new TenantPdfSettings { TenantId = db.TenantId!.Value };
            db.TenantPdfSettings.Add(settings);
        }

        settings.WatermarkPolicy = request.Watermark! with { Text = request.Watermark.Text?.Trim() };
        settings.UpdatedAt = timeProvider.GetUtcNow();
        securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(),
            detail: "export policy: watermark " + (settings.WatermarkPolicy.Text is { } text ? $"\"{text}\"" : "image"));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ExportPolicyResponse(settings.WatermarkPolicy, settings.UpdatedAt));
    }

    public static async Task<NoContent> DeleteExportPolicy(
        ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, SecurityEventLog securityEvents, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var settings = await db.TenantPdfSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings?.WatermarkPolicy is not null)
        {
            settings.WatermarkPolicy = null;
            settings.UpdatedAt = timeProvider.GetUtcNow();
            securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(), detail: "export policy: watermark removed");
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }
}
