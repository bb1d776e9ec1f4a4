using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

internal static partial class SyncValidation
{
    public const int MaxProjects = 100;
    public const int MaxJqlLength = 2000;

    /// <summary>The structural rules of <see cref="StartSyncRequest"/>.</summary>
    public static Dictionary<string, string[]> Validate(StartSyncRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Mode?.ToLowerInvariant() is not (null or "incremental" or "full"))
        {
            errors["mode"] = ["Mode must be \"full\" or \"incremental\"."];
        }

        ValidateScope(request.Projects, request.Jql, errors);
        return errors;
    }

    /// <summary>The structural rules of <see cref="PutSyncScheduleRequest"/>.</summary>
    public static Dictionary<string, string[]> Validate(PutSyncScheduleRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateSchedule(request, errors);
        ValidateScope(request.Projects, request.Jql, errors);
        return errors;
    }

    public static SyncMode ReadMode(StartSyncRequest request) =>
        string.Equals(request.Mode, "full", StringComparison.OrdinalIgnoreCase) ? SyncMode.Full : SyncMode.Incremental;

    /// <summary>A valid request's project keys, upper case and each once; null when it names none.</summary>
    public static IReadOnlyList<string>? ReadProjects(IReadOnlyList<string>? requested) =>
        requested is { Count: > 0 } keys ? keys.Select(k => k.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList() : null;

    /// <summary>Projects or a JQL (not both, either may be absent).</summary>
    private static void ValidateScope(IReadOnlyList<string>? requested, string? jql, Dictionary<string, string[]> errors)
    {
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
    private static void ValidateSchedule(PutSyncScheduleRequest request, Dictionary<string, string[]> errors)
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
