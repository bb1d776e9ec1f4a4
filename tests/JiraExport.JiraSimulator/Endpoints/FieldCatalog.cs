using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>The site's fields as <c>GET /field</c> lists them (<c>FieldDetails</c>): system fields and the custom ones.</summary>
internal static class FieldCatalog
{
    /// <param name="Type">The schema's type; null for fields Jira lists without a schema (<c>parent</c>).</param>
    /// <param name="Clauses">JQL names; by default the id (system) or <c>cf[id]</c> and the name (custom).</param>
    private sealed record Field(
        string Id, string Name, string? Type, string? Items = null, string? Custom = null, int? CustomId = null,
        bool Orderable = true, bool Searchable = true, string[]? Clauses = null);

    private static readonly Field[] Fields =
    [
        new("summary", "Summary", "string"),
        new("status", "Status", "status", Orderable: false),
        new("priority", "Priority", "priority"),
        new("assignee", "Assignee", "user"),
        new("reporter", "Reporter", "user"),
        new("created", "Created", "datetime", Orderable: false),
        new("updated", "Updated", "datetime", Orderable: false),
        new("resolution", "Resolution", "resolution"),
        new("resolutiondate", "Resolved", "datetime", Orderable: false, Clauses: ["resolutiondate", "resolved"]),
        new("issuetype", "Issue Type", "issuetype"),
        new("project", "Project", "project"),
        new("description", "Description", "string"),
        new("labels", "Labels", "array", Items: "string"),
        new("fixVersions", "Fix versions", "array", Items: "version", Clauses: ["fixVersion"]),
        new(FieldSelection.StoryPointsField, "Story Points", "number", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:float", CustomId: 10016),
        new("customfield_10019", "Rank", "any", Custom: "com.pyxis.greenhopper.jira:gh-lexo-rank", CustomId: 10019),
        new(FieldSelection.SprintField, "Sprint", "array", Items: "json", Custom: "com.pyxis.greenhopper.jira:gh-sprint", CustomId: 10020),
        new("parent", "Parent", null, Orderable: false, Searchable: false),
        new("issuelinks", "Linked Issues", "array", Items: "issuelinks", Clauses: ["issueLink"]),
        new("timespent", "Time Spent", "number", Orderable: false, Searchable: false),
        new("timeoriginalestimate", "Original estimate", "number", Orderable: false, Searchable: false, Clauses: ["originalEstimate", "timeoriginalestimate"]),
        new("timeestimate", "Remaining Estimate", "number", Orderable: false, Searchable: false, Clauses: ["remainingEstimate", "timeestimate"]),
        new("timetracking", "Time tracking", "timetracking", Clauses: []),
        new("comment", "Comment", "comments-page"),
        new("worklog", "Log Work", "array", Items: "worklog", Clauses: []),
        new("attachment", "Attachment", "array", Items: "attachment", Clauses: ["attachments"]),
    ];

    public static JsonArray Render() => new(Fields.Select(f =>
    {
        var custom = f.Custom is not null;
        var json = new JsonObject
        {
            ["id"] = f.Id,
            ["key"] = f.Id,
            ["name"] = f.Name,
            ["custom"] = custom,
            ["orderable"] = f.Orderable,
            ["navigable"] = !FieldSelection.NotNavigable.Contains(f.Id),
            ["searchable"] = f.Searchable,
            ["clauseNames"] = f.Clauses is { } clauses
                ? new JsonArray(clauses.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray())
                : custom ? new JsonArray($"cf[{f.CustomId}]", f.Name) : new JsonArray(f.Id),
        };
        if (f.Type is not null)
        {
            json["schema"] = Schema(f, custom);
        }

        return (JsonNode?)json;
    }).ToArray());

    private static JsonObject Schema(Field f, bool custom)
    {
        var schema = new JsonObject { ["type"] = f.Type };
        if (f.Items is not null)
        {
            schema["items"] = f.Items;
        }

        if (custom)
        {
            schema["custom"] = f.Custom;
            schema["customId"] = f.CustomId;
        }
        else
        {
            schema["system"] = f.Id;
        }

        return schema;
    }
}
