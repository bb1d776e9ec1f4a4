using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Reports;

public static class BrandingQueries
{
    /// <summary>The current tenant's branding, or the default look when it has set none.</summary>
    public static async Task<BrandingModel> ReadBrandingAsync(this JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.TenantBrandings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) is { } b
            ? new BrandingModel(b.CompanyName, b.LogoDataUrl, b.PrimaryColor, b.AccentColor, b.FontFamily, b.HeaderText, b.FooterText)
            : BrandingModel.Default;
}
