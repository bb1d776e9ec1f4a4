using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Exports.Reports;

/// <summary>The template an export is rendered with: its kind, its source, and the published version (null: a draft preview).</summary>
public sealed record LoadedTemplate(string Kind, TemplateSource Source, int? Version);

/// <summary>Finds an export's template — a published version, a draft for a preview, or a built-in — and the tenant's branding.</summary>
public sealed class ReportTemplateLoader(JiraExportDbContext db)
{
    public async Task<LoadedTemplate> LoadAsync(Export export, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        LoadedTemplate? loaded = null;
        if (export.TemplateVersionId is { } versionId)
        {
            loaded = await db.ReportTemplateVersions.AsNoTracking()
                .Where(v => v.Id == versionId)
                .Join(db.ReportTemplates, v => v.TemplateId, t => t.Id,
                    (v, t) => new LoadedTemplate(t.Kind, new TemplateSource(v.Liquid, v.Css, v.Assets), v.Version))
                .SingleOrDefaultAsync(cancellationToken);
        }
        else if (export.TemplateId is { } templateId)
        {
            loaded = await db.ReportTemplates.AsNoTracking()
                .Where(t => t.Id == templateId)
                .Select(t => new LoadedTemplate(t.Kind, new TemplateSource(t.DraftLiquid, t.DraftCss, t.DraftAssets), null))
                .SingleOrDefaultAsync(cancellationToken);
        }
        else if (BuiltInTemplates.Find(export.Template) is { } builtIn)
        {
            loaded = new LoadedTemplate(builtIn.Kind, builtIn.Source, BuiltInTemplate.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        return loaded ?? throw new ExportFailedException($"The template '{export.Template}' of this export no longer exists; request the export again with another template.");
    }

    public async Task<BrandingModel> LoadBrandingAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var branding = await db.ReadBrandingAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return branding;
    }
}
