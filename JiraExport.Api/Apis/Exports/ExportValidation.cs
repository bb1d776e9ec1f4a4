using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

internal static class ExportValidation
{
    public const string DefaultFormat = "pdf";
    public const string DefaultTemplate = "issue-list";

    private static readonly string[] Formats = [DefaultFormat, "csv", "xlsx", "json"];

    /// <summary>Jira itself refuses very long JQL; reject it here with a message instead of a failed job.</summary>
    public const int MaxJqlLength = 8_000;

    public static Dictionary<string, string[]> Validate(CreateExportRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ConnectionId is null)
        {
            errors["connectionId"] = ["The id of one of the tenant's Jira connections is required."];
        }

        if (string.IsNullOrWhiteSpace(request.Jql))
        {
            errors["jql"] = ["A JQL query is required, e.g. project = ABC ORDER BY key."];
        }
        else if (request.Jql.Length > MaxJqlLength)
        {
            errors["jql"] = [$"The JQL is {request.Jql.Length:N0} characters long; the limit is {MaxJqlLength:N0}. Use a saved filter or fewer clauses."];
        }

        if (request.Format is not null && !Formats.Contains(request.Format.ToLowerInvariant()))
        {
            errors["format"] = ["Format must be \"pdf\", \"csv\", \"xlsx\" or \"json\"."];
        }

        if (request.Source is not (null or ExportSources.Store or ExportSources.Live))
        {
            errors["source"] = ["Source must be \"store\" (the synced copy, the default) or \"live\" (read from Jira now)."];
        }

        if (request.Title is { Length: > 300 })
        {
            errors["title"] = ["The title may be at most 300 characters."];
        }

        ExportOptionsValidation.Validate(request.Options, request.Format?.ToLowerInvariant() ?? DefaultFormat, errors);

        if (request.Fields is { } fields && FieldErrors(fields) is { Count: > 0 } fieldErrors)
        {
            errors["fields"] = [.. fieldErrors];
        }

        return errors;
    }

    /// <summary>Standard names are checked now; custom ones (an id or a name Jira shows) when the export runs against the site.</summary>
    private static List<string> FieldErrors(IReadOnlyList<string> fields)
    {
        var errors = new List<string>();
        if (fields.Count is 0 or > IssueFieldNames.MaxFields)
        {
            errors.Add($"Name 1 to {IssueFieldNames.MaxFields} fields, or leave fields out for the default columns ({string.Join(", ", IssueFieldNames.Default)}).");
        }

        if (fields.Any(f => string.IsNullOrWhiteSpace(f) || f.Length > 200))
        {
            errors.Add("Every field name must be 1 to 200 characters long.");
        }

        var unknown = fields.Where(f => f is not null && IssueFieldNames.LooksStandard(f) && !IssueFieldNames.IsStandard(f)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"Unknown field{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(f => $"\"{f}\""))}. "
                + $"Standard fields: {string.Join(", ", IssueFieldNames.Standard)}. "
                + "Name a custom field by its id (customfield_10016) or by the name Jira shows (\"Story Points\").");
        }

        var duplicates = fields.Where(f => f is not null).GroupBy(f => f, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            errors.Add($"Each field may appear once; repeated: {string.Join(", ", duplicates)}.");
        }

        return errors;
    }
}
