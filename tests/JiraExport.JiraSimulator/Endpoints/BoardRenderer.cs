using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Boards, their configuration and epics, as the Agile API shows them.</summary>
internal static class BoardRenderer
{
    public static JsonObject Board(SeedBoard board, ApiContext api) => new()
    {
        ["id"] = board.Id,
        ["self"] = $"{api.Agile}/board/{board.Id}",
        ["name"] = board.Name,
        ["type"] = board.Type,
        ["location"] = new JsonObject
        {
            ["projectId"] = long.Parse(board.Project.Id, System.Globalization.CultureInfo.InvariantCulture),
            ["displayName"] = $"{board.Project.Name} ({board.Project.Key})",
            ["projectName"] = board.Project.Name,
            ["projectKey"] = board.Project.Key,
            ["projectTypeKey"] = "software",
            ["avatarURI"] = $"/secure/projectavatar?size=small&s=small&pid={board.Project.Id}",
            ["name"] = $"{board.Project.Name} ({board.Project.Key})",
        },
        ["isPrivate"] = false,
    };

    /// <summary>
    /// Columns map the workflow's statuses (each to one column) and estimation uses Story Points, what velocity and
    /// burndown reports need. <c>location</c> follows Atlassian's example (key, id, self, name), not the schema.
    /// </summary>
    public static JsonObject Configuration(SeedBoard board, ApiContext api)
    {
        var json = new JsonObject
        {
            ["id"] = board.Id,
            ["name"] = board.Name,
            ["type"] = board.Type,
            ["self"] = $"{api.Agile}/board/{board.Id}/configuration",
            ["location"] = new JsonObject
            {
                ["type"] = "project",
                ["key"] = board.Project.Key,
                ["id"] = board.Project.Id,
                ["self"] = $"{api.BaseUrl}/rest/api/2/project/{board.Project.Id}",
                ["name"] = board.Project.Name,
            },
            ["filter"] = new JsonObject { ["id"] = $"{board.FilterId}", ["self"] = $"{api.BaseUrl}/rest/api/2/filter/{board.FilterId}" },
        };
        if (!board.IsScrum)
        {
            json["subQuery"] = new JsonObject { ["query"] = "fixVersion in unreleasedVersions() OR fixVersion is EMPTY" };
        }

        json["columnConfig"] = new JsonObject
        {
            ["columns"] = new JsonArray(JiraCatalog.Statuses.Select(s => (JsonNode?)Column(s, board, api)).ToArray()),
            ["constraintType"] = board.IsScrum ? "none" : "issueCount",
        };
        json["estimation"] = new JsonObject
        {
            ["type"] = "field",
            ["field"] = new JsonObject { ["fieldId"] = FieldSelection.StoryPointsField, ["displayName"] = "Story Points" },
        };
        json["ranking"] = new JsonObject { ["rankCustomFieldId"] = 10019 };
        return json;
    }

    public static JsonObject Epic(SeedEpic epic, ApiContext api) => new()
    {
        ["id"] = epic.Id,
        ["key"] = epic.Key,
        ["self"] = $"{api.Agile}/epic/{epic.Id}",
        ["name"] = epic.Name,
        ["summary"] = epic.Summary,
        ["color"] = new JsonObject { ["key"] = epic.ColorKey },
        ["done"] = epic.Done,
    };

    private static JsonObject Column(SeedStatus status, SeedBoard board, ApiContext api)
    {
        var column = new JsonObject
        {
            ["name"] = status.Name,
            ["statuses"] = new JsonArray(new JsonObject { ["id"] = status.Id, ["self"] = $"{api.BaseUrl}/rest/api/2/status/{status.Id}" }),
        };

        // Kanban limits work in progress.
        if (!board.IsScrum && status.Category.Key == "indeterminate")
        {
            column["max"] = 5;
        }

        return column;
    }
}
