using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Api.Preconditions;
using JiraExport.Api.Reports;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The tenant's branding, which every built-in template applies: logo, colours, font, header and footer text.</summary>
public static partial class TenantBrandingApi
{
    private const int MaxLogoBytes = 256 * 1024;

    // Fonts installed with the Worker (eng/bootstrap.sh); a name outside this list would silently fall back.
    private static readonly string[] Fonts = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"];

    public static async Task<Ok<BrandingResponse>> GetBranding(HttpContext http, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        // The defaults, before any PUT, have no version: no ETag. One read gives the ETag and the body.
        var stored = await db.TenantBrandings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (stored is not null)
        {
            ResourceVersions.Tag(http, stored);
        }

        return TypedResults.Ok(ToResponse(BrandingQueries.ToModel(stored)));
    }

    /// <summary>The structural rules of <see cref="BrandingRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(BrandingRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, color) in new[] { ("primaryColor", request.PrimaryColor), ("accentColor", request.AccentColor) })
        {
            if (color is not null && !Color().IsMatch(color))
            {
                errors[field] = ["A colour is written #rrggbb, e.g. #1e293b."];
            }
        }

        if (request.FontFamily is not null && !Fonts.Contains(request.FontFamily))
        {
            errors["fontFamily"] = [$"The font must be one of {string.Join(", ", Fonts)}."];
        }

        if (request.LogoDataUrl is not null && !IsLogo(request.LogoDataUrl))
        {
            errors["logoDataUrl"] = [$"The logo is a data: URL of a PNG or JPEG image, base64, at most {MaxLogoBytes / 1024} KiB and {ReportImages.MaxDecodedPixels / 1_000_000} megapixels (data:image/png;base64,…)."];
        }

        foreach (var (field, text, max) in new[] { ("companyName", request.CompanyName, 200), ("headerText", request.HeaderText, 200), ("footerText", request.FooterText, 200) })
        {
            if (text is { Length: var length } && length > max)
            {
                errors[field] = [$"At most {max} characters."];
            }
        }

        return errors;
    }

    public static async Task<Results<Ok<BrandingResponse>, ProblemHttpResult>> PutBranding(
        BrandingRequest request, HttpContext http, JiraExportDbContext db, TenantContext tenant, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var defaults = BrandingModel.Default;
        var branding = await db.TenantBrandings.SingleOrDefaultAsync(cancellationToken);
        if (await ResourceVersions.CheckIfMatchAsync(http, db, branding, cancellationToken) is { } stale)
        {
            return stale;
        }

        if (branding is null)
        {
            branding = new TenantBranding { TenantId = tenant.TenantId!.Value, PrimaryColor = defaults.PrimaryColor, AccentColor = defaults.AccentColor, FontFamily = defaults.FontFamily };
            db.TenantBrandings.Add(branding);
        }

        // A PUT sets the whole branding: what is not sent goes back to the default.
        branding.CompanyName = Blank(request.CompanyName);
        branding.LogoDataUrl = Blank(request.LogoDataUrl) is { } logo ? ReportImages.FitDataUrl(logo, ReportImages.MaxLogoPixels) : null;
        branding.PrimaryColor = request.PrimaryColor ?? defaults.PrimaryColor;
        branding.AccentColor = request.AccentColor ?? defaults.AccentColor;
        branding.FontFamily = request.FontFamily ?? defaults.FontFamily;
        branding.HeaderText = Blank(request.HeaderText);
        branding.FooterText = Blank(request.FooterText);
        branding.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        ResourceVersions.Tag(http, branding);
        return TypedResults.Ok(ToResponse(BrandingQueries.ToModel(branding)));
    }

    public static async Task<NoContent> DeleteBranding(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        await db.TenantBrandings.ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static BrandingResponse ToResponse(BrandingModel b) =>
        new(b.CompanyName, b.LogoDataUrl, b.PrimaryColor, b.AccentColor, b.FontFamily, b.HeaderText, b.FooterText, Fonts);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsLogo(string dataUrl)
    {
        var match = LogoDataUrl().Match(dataUrl);
        if (!match.Success)
        {
            return false;
        }

        var base64 = match.Groups[1].Value;
        var bytes = new byte[(base64.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64, bytes, out var length) && length <= MaxLogoBytes
            && ReportImages.RefuseOversized(bytes[..length]) is null;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Color();

    [GeneratedRegex(@"^data:image/(?:png|jpeg);base64,([A-Za-z0-9+/=]+)$")]
    private static partial Regex LogoDataUrl();
}
