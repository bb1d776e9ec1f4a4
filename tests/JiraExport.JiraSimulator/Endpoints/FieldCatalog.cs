using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>The site's fields as <c>GET /field</c> lists them (<c>FieldDetails</c>): system fields and the custom ones.</summary>
internal static class FieldCatalog
{
    private static readonly (string Id, string Name, string Type, string? Items, string? System, string? Custom, int? CustomId)[] Fields =
    [
        ("summary", "Summary", "string", null, "summary", null, null),
        ("status", "Status", "status", null, "status", null, null),
        ("priority", "Priority", "priority", null, "priority", null, null),
        ("assignee", "Assignee", "user", null, "assignee", null, null),
        ("reporter", "Reporter", "user", null, "reporter", null, null),
        ("created", "Created", "datetime", null, "created", null, null),
        ("updated", "Updated", "datetime", null, "updated", null, null),
        ("issuetype", "Issue Type", "issuetype", null, "issuetype", null, null),
        ("project", "Project", "project", null, "project", null, null),
        ("description", "Description", "string", null, "description", null, null),
        ("labels", "Labels", "array", "string", "labels", null, null),
        (FieldSelection.StoryPointsField, "Story Points", "number", null, null, "com.atlassian.jira.plugin.system.customfieldtypes:float", 10016),
        ("customfield_10019", "Rank", "any", null, null, "com.pyxis.greenhopper.jira:gh-lexo-rank", 10019),
    ];

    public static JsonArray Render() => new(Fields.Select(f =>
    {
        var custom = f.Custom is not null;
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
            schema["system"] = f.System;
        }

        return (JsonNode?)new JsonObject
        {
            ["id"] = f.Id,
            ["key"] = f.Id,
            ["name"] = f.Name,
            ["custom"] = custom,
            ["orderable"] = f.Id is not ("created" or "updated" or "status"),
            ["navigable"] = true,
            ["searchable"] = true,
            ["clauseNames"] = custom
                ? new JsonArray($"cf[{f.CustomId}]", f.Name)
                : new JsonArray(f.Id),
            ["schema"] = schema,
        };
    }).ToArray());
}
