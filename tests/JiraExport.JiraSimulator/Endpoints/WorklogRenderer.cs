using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Worklogs (<c>Worklog</c>), the <c>worklog</c> field and time tracking.</summary>
internal static class WorklogRenderer
{
    /// <summary>The <c>worklog</c> field embeds this many; the rest come from <c>/issue/{key}/worklog</c>.</summary>
    public const int FieldLimit = 20;

    public static JsonObject Worklog(SeedIssue issue, SeedWorklog worklog, ApiContext api, bool rendered = false)
    {
        var json = new JsonObject
        {
            ["self"] = $"{api.Api}/issue/{issue.Id}/worklog/{worklog.Id}",
            ["author"] = EntityRenderer.User(worklog.Author, api),
            ["updateAuthor"] = EntityRenderer.User(worklog.Author, api),
        };

        // A worklog logged without a comment has none.
        if (worklog.Comment is { } comment)
        {
            json["comment"] = rendered ? RichText.Html([comment]) : RichText.Body([comment], api);
        }

        json["created"] = Date(worklog.Created, rendered);
        json["updated"] = Date(worklog.Updated, rendered);
        json["started"] = Date(worklog.Started, rendered);
        json["timeSpent"] = JiraDuration.Format(worklog.TimeSpentSeconds);
        json["timeSpentSeconds"] = worklog.TimeSpentSeconds;
        json["id"] = worklog.Id;
        json["issueId"] = issue.Id;
        return json;
    }

    public static JsonObject Page(SeedIssue issue, IReadOnlyList<SeedWorklog> page, int startAt, int maxResults, int total, ApiContext api, bool rendered = false) => new()
    {
        ["startAt"] = startAt,
        ["maxResults"] = maxResults,
        ["total"] = total,
        ["worklogs"] = new JsonArray(page.Select(w => (JsonNode?)Worklog(issue, w, api, rendered)).ToArray()),
    };

    /// <summary>The <c>worklog</c> field: the oldest twenty and the full total, as Cloud embeds it.</summary>
    public static JsonObject Field(SeedIssue issue, ApiContext api, bool rendered = false) =>
        Page(issue, [.. issue.Worklogs.Take(FieldLimit)], 0, FieldLimit, issue.Worklogs.Count, api, rendered);

    /// <summary><c>timetracking</c>: <c>{}</c> when nothing is estimated or logged, otherwise only the parts that exist.</summary>
    public static JsonObject TimeTracking(SeedIssue issue)
    {
        (string Name, int? Seconds)[] parts =
        [
            ("originalEstimate", issue.OriginalEstimateSeconds),
            ("remainingEstimate", issue.RemainingEstimateSeconds),
            ("timeSpent", issue.Worklogs.Count > 0 ? issue.TimeSpentSeconds : null),
        ];
        var json = new JsonObject();
        foreach (var (name, seconds) in parts.Where(p => p.Seconds is not null))
        {
            json[name] = JiraDuration.Format(seconds!.Value);
        }

        foreach (var (name, seconds) in parts.Where(p => p.Seconds is not null))
        {
            json[$"{name}Seconds"] = seconds;
        }

        return json;
    }

    private static string Date(DateTimeOffset value, bool rendered) => rendered ? JiraDates.Rendered(value) : JiraDates.Format(value);
}
