using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Renders one issue as a search result: the envelope plus only the requested fields.</summary>
internal static class IssueRenderer
{
    private const string IssueExpand = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

    /// <param name="changelogLimit">
    /// With <c>expand=changelog</c>: how many of the newest histories to embed (Cloud's search stops at 20, bulk fetch at
    /// 40; <c>int.MaxValue</c> for all). Null leaves the changelog out.
    /// </param>
    public static JsonObject Render(SeedIssue issue, FieldSelection selection, ApiContext api, bool bareIdWhenIdOnly, int? changelogLimit = null)
    {
        // Cloud's enhanced search answers a default (id-only) request with nothing but the id.
        if (bareIdWhenIdOnly && selection.IsIdOnly)
        {
            return new JsonObject { ["id"] = issue.Id };
        }

        var fields = new JsonObject();
        foreach (var name in FieldSelection.Supported.Where(selection.Fields.Contains))
        {
            fields[name] = RenderField(issue, name, api);
        }

        var json = new JsonObject
        {
            ["expand"] = IssueExpand,
            ["id"] = issue.Id,
            ["self"] = $"{api.Api}/issue/{issue.Id}",
            ["key"] = issue.Key,
        };
        if (changelogLimit is { } limit)
        {
            // Newest first here, unlike the changelog endpoints.
            var histories = issue.Histories.Reverse().Take(limit).ToList();
            json["changelog"] = new JsonObject
            {
                ["startAt"] = 0,
                ["maxResults"] = histories.Count,
                ["total"] = issue.Histories.Count,
                ["histories"] = new JsonArray(histories.Select(h => (JsonNode?)ChangelogRenderer.History(h, api)).ToArray()),
            };
        }

        json["fields"] = fields;
        return json;
    }

    private static JsonNode? RenderField(SeedIssue issue, string name, ApiContext api) => name switch
    {
        "summary" => issue.Summary,
        "status" => EntityRenderer.Status(issue.Status, api),
        "priority" => EntityRenderer.Priority(issue.Priority, api),
        "assignee" => issue.Assignee is null ? null : EntityRenderer.User(issue.Assignee, api),
        "reporter" => EntityRenderer.User(issue.Reporter, api),
        "created" => JiraDates.Format(issue.Created),
        "updated" => JiraDates.Format(issue.Updated),
        "issuetype" => EntityRenderer.IssueType(issue.IssueType, api),
        "project" => EntityRenderer.Project(issue.Project, api),
        "description" => api.Version == 3 ? Adf(issue.DescriptionParagraphs) : string.Join("\n\n", issue.DescriptionParagraphs),
        "labels" => new JsonArray(issue.Labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        FieldSelection.StoryPointsField => issue.StoryPoints,
        _ => null,
    };

    /// <summary>v3 text areas are Atlassian Document Format; v2 (and Data Center) send the same text as wiki markup.</summary>
    private static JsonObject Adf(IReadOnlyList<string> paragraphs) => new()
    {
        ["type"] = "doc",
        ["version"] = 1,
        ["content"] = new JsonArray(paragraphs.Select(p => (JsonNode?)new JsonObject
        {
            ["type"] = "paragraph",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = p }),
        }).ToArray()),
    };
}
