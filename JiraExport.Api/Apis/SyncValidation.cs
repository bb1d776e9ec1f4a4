using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

internal static partial class SyncValidation
{
    public const int MaxProjects = 100;
    public const int MaxJqlLength = 2000;

    public static Dictionary<string, string[]> Validate(StartSyncRequest request, out SyncMode mode, out IReadOnlyList<string>? projects)
    {
        var errors = new Dictionary<string, string[]>();
        mode = SyncMode.Incremental;
        projects = null;
        switch (request.Mode?.ToLowerInvariant())
        {
            case null or "incremental":
                break;
            case "full":
                mode = SyncMode.Full;
                break;
            default:
                errors["mode"] = ["Mode must be \"full\" or \"incremental\"."];
                break;
        }

        if (request.Projects is { Count: > 0 } && !string.IsNullOrWhiteSpace(request.Jql))
        {
            errors["projects"] = ["Name either projects or a JQL, not both."];
        }
        else if (request.Projects is { Count: > 0 } keys)
        {
            if (keys.Count > MaxProjects)
            {
                errors["projects"] = [$"At most {MaxProjects} projects; use a JQL for a wider scope."];
            }
            else if (keys.Any(k => k is null || !ProjectKey().IsMatch(k)))
            {
                var bad = keys.First(k => k is null || !ProjectKey().IsMatch(k));
                errors["projects"] = [$"'{bad}' is not a Jira project key (letters, digits and underscores, starting with a letter)."];
            }
            else
            {
                projects = keys.Select(k => k.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
            }
        }
        else if (request.Jql is { } jql)
        {
            if (string.IsNullOrWhiteSpace(jql) || jql.Length > MaxJqlLength)
            {
                errors["jql"] = [$"The JQL must be 1 to {MaxJqlLength} characters."];
            }
            else if (OrderBy().IsMatch(jql))
            {
                errors["jql"] = ["Leave ORDER BY out: the sync orders its walk itself, so it can resume where it stopped."];
            }
        }

        return errors;
    }

    public static string ModeName(SyncMode mode) => mode.ToString().ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,49}$")]
    private static partial Regex ProjectKey();

    [GeneratedRegex(@"\border\s+by\b", RegexOptions.IgnoreCase)]
    private static partial Regex OrderBy();
}
