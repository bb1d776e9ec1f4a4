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

        ValidateScope(request.Projects, request.Jql, errors, out projects);
        return errors;
    }

    /// <summary>Projects or a JQL (not both, either may be absent); the keys come back upper case.</summary>
    public static void ValidateScope(
        IReadOnlyList<string>? requested, string? jql, Dictionary<string, string[]> errors, out IReadOnlyList<string>? projects)
    {
        projects = null;
        if (requested is { Count: > 0 } && !string.IsNullOrWhiteSpace(jql))
        {
            errors["projects"] = ["Name either projects or a JQL, not both."];
        }
        else if (requested is { Count: > 0 } keys)
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
        else if (jql is not null)
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

    }

    /// <summary>A cron expression and an IANA time zone a schedule can run on.</summary>
    public static void ValidateSchedule(PutSyncScheduleRequest request, Dictionary<string, string[]> errors)
    {
        if (!Core.Sync.SyncCron.TryParse(request.Cron, out _, out var error))
        {
            errors["cron"] = [error!];
        }

        if (request.ReconcileCron is not null && !Core.Sync.SyncCron.TryParse(request.ReconcileCron, out _, out var reconcileError))
        {
            errors["reconcileCron"] = [reconcileError!];
        }

        if (request.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors["timeZone"] = [$"'{zone}' is not an IANA time zone, e.g. Europe/Berlin."];
        }
    }

    public static string ModeName(SyncMode mode) => mode.ToString().ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,49}$")]
    private static partial Regex ProjectKey();

    [GeneratedRegex(@"\border\s+by\b", RegexOptions.IgnoreCase)]
    private static partial Regex OrderBy();
}
