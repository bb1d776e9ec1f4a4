using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Reports;

public static class BrandingQueries
{
    /// <summary>The current tenant's branding, or the default look when it has set none.</summary>
    public static async Task<BrandingModel> ReadBrandingAsync(this JiraExportDbContext db, CancellationToken cancellationToken) =>
        ToModel(await db.TenantBrandings.AsNoTracking().SingleOrDefaultAsync(cancellationToken));

    /// <summary>A stored branding as reports use it; none stored is the default look.</summary>
    public static BrandingModel ToModel(TenantBranding? b) => b is null
        ? BrandingModel.Default
        : new BrandingModel(b.CompanyName, b.LogoDataUrl, b.PrimaryColor, b.AccentColor, b.FontFamily, b.HeaderText, b.FooterText);
}
