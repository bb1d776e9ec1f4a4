using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

internal static class ExportValidation
{
    public const string DefaultFormat = "pdf";
    public const string DefaultTemplate = "issue-list";

    private static readonly string[] Formats = [DefaultFormat, "csv", "json"];

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
            errors["format"] = ["Format must be \"pdf\", \"csv\" or \"json\"."];
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

        return errors;
    }
}
