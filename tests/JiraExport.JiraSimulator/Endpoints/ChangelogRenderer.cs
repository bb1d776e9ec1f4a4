using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Renders changelog entries as Jira's <c>Changelog</c> / <c>ChangeDetails</c>.</summary>
internal static class ChangelogRenderer
{
    public static JsonObject History(SeedHistory history, ApiContext api) => new()
    {
        ["id"] = history.Id,
        ["author"] = EntityRenderer.User(history.Author, api),
        ["created"] = JiraDates.Format(history.Created),
        ["items"] = new JsonArray(history.Items.Select(i => (JsonNode?)Item(i, api)).ToArray()),
    };

    private static JsonObject Item(SeedChange change, ApiContext api)
    {
        var item = new JsonObject { ["field"] = change.Field, ["fieldtype"] = change.FieldType };
        // Data Center's changelog items carry no fieldId.
        if (api.Version == 3 && change.FieldId is not null)
        {
            item["fieldId"] = change.FieldId;
        }

        item["from"] = change.From;
        item["fromString"] = change.FromText;
        item["to"] = change.To;
        item["toString"] = change.ToText;
        return item;
    }
}
