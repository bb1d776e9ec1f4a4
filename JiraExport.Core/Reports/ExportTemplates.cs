using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Reports;

/// <summary>The template an export will be rendered with, pinned at request time so the record says exactly which.</summary>
public sealed record ExportTemplateChoice(string Name, Guid? TemplateId, Guid? VersionId, int? Version);

public static class ExportTemplates
{
    /// <summary>
    /// A built-in template by name, or a tenant template by name at the requested or latest published version.
    /// A tenant template without a published version cannot be exported with (preview it instead).
    /// </summary>
    public static async Task<ExportTemplateChoice?> ResolveAsync(
        JiraExportDbContext db, string name, int? version, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (BuiltInTemplates.Find(name) is { } builtIn)
        {
            if (version is not (null or BuiltInTemplate.Version))
            {
                errors["templateVersion"] = [$"The built-in template \"{name}\" has only version {BuiltInTemplate.Version}."];
                return null;
            }

            return new ExportTemplateChoice(builtIn.Name, null, null, BuiltInTemplate.Version);
        }

        var template = await db.ReportTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name && t.DeletedAt == null, cancellationToken);
        if (template is null)
        {
            errors["template"] = [$"No template \"{name}\": use a built-in one ({string.Join(", ", BuiltInTemplates.All.Select(b => b.Name))}) or one listed by GET /api/v1/templates."];
            return null;
        }

        if (template.LatestVersion is not { } latest)
        {
            errors["template"] = [$"Template \"{name}\" has no published version yet; publish it (POST /api/v1/templates/{template.Id}/publish) or preview the draft."];
            return null;
        }

        var number = version ?? latest;
        var pinned = await db.ReportTemplateVersions.AsNoTracking()
            .Where(v => v.TemplateId == template.Id && v.Version == number)
            .Select(v => new { v.Id, v.Version })
            .SingleOrDefaultAsync(cancellationToken);
        if (pinned is null)
        {
            errors["templateVersion"] = [$"Template \"{name}\" has versions 1 to {latest}; {number} is not one of them."];
            return null;
        }

        return new ExportTemplateChoice(template.Name, template.Id, pinned.Id, pinned.Version);
    }
}
