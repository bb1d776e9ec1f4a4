using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>A sprint as the Agile API shows it (<c>SprintBean</c>) and as the Sprint custom field holds it.</summary>
internal static class SprintRenderer
{
    public static JsonObject Sprint(SeedSprint sprint, ApiContext api)
    {
        var json = new JsonObject
        {
            ["id"] = sprint.Id,
            ["self"] = $"{api.Agile}/sprint/{sprint.Id}",
            ["state"] = State(sprint),
            ["name"] = sprint.Name,
        };
        AddDates(json, sprint);
        json["createdDate"] = JiraDates.FormatExtended(sprint.Created);
        json["originBoardId"] = sprint.Board.Id;
        json["goal"] = sprint.Goal;
        return json;
    }

    /// <summary><c>customfield_10020</c>: every sprint the issue has been in, oldest first; null when none (as Cloud sends it).</summary>
    public static JsonArray? Field(SeedIssue issue) => issue.Sprints.Count == 0 ? null : new JsonArray(issue.Sprints.Select(s =>
    {
        var json = new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["state"] = State(s),
            ["boardId"] = s.Board.Id,
            ["goal"] = s.Goal,
        };
        AddDates(json, s);
        return (JsonNode?)json;
    }).ToArray());

    public static string State(SeedSprint sprint) => sprint.State.ToString().ToLowerInvariant();

    /// <summary>Future sprints have no dates; only closed ones were completed.</summary>
    private static void AddDates(JsonObject json, SeedSprint sprint)
    {
        if (sprint.Start is { } start)
        {
            json["startDate"] = JiraDates.FormatExtended(start);
        }

        if (sprint.End is { } end)
        {
            json["endDate"] = JiraDates.FormatExtended(end);
        }

        if (sprint.Complete is { } complete)
        {
            json["completeDate"] = JiraDates.FormatExtended(complete);
        }
    }
}
