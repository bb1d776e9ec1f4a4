using JiraExport.Core.Domain;
using JiraExport.Core.Jira;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// Turns an export's field names into columns: standard names from the catalog, custom fields by id or by the name Jira
/// shows, through the site's field list (read only when the request names a non-standard field).
/// </summary>
public sealed class IssueFieldResolver(JiraClient jira)
{
    public async Task<IReadOnlyList<IssueField>> ResolveAsync(IReadOnlyList<string>? names, JiraSite site, CancellationToken cancellationToken)
    {
        if (names is null or { Count: 0 })
        {
            return IssueFieldCatalog.Default;
        }

        IReadOnlyList<JiraField>? siteFields = null;
        var resolved = new List<IssueField>(names.Count);
        var unknown = new List<string>();
        foreach (var name in names)
        {
            if (IssueFieldCatalog.Find(name) is { } standard)
            {
                resolved.Add(standard);
                continue;
            }

            siteFields ??= await jira.GetFieldsAsync(site, cancellationToken);
            var matches = IssueFieldNames.IsCustomFieldId(name)
                ? siteFields.Where(f => f.Id == name).ToList()
                : siteFields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count > 1)
            {
                throw new ExportFailedException(
                    $"Several Jira fields are named \"{name}\" ({string.Join(", ", matches.Select(f => f.Id))}); name the one you want by its id.");
            }

            if (matches is not [var field])
            {
                unknown.Add(name);
                continue;
            }

            resolved.Add(!field.Custom && IssueFieldCatalog.FindByJiraId(field.Id) is { } system
                ? system with { Name = name, Header = field.Name }
                : new IssueField(name, field.Name, IssueFieldValues.KindOf(field.Schema), field.Id,
                    issue => IssueFieldValues.BySchema(issue.Field(field.Id), field.Schema)));
        }

        if (unknown.Count > 0)
        {
            var custom = siteFields!.Where(f => f.Custom).Select(f => $"{f.Name} ({f.Id})").Take(50);
            throw new ExportFailedException(
                $"Unknown field{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"\"{u}\""))}: neither a standard field nor a field of this Jira site. "
                + $"Standard fields: {string.Join(", ", IssueFieldNames.Standard)}. Custom fields of the site: {string.Join(", ", custom)}.");
        }

        return resolved;
    }
}
