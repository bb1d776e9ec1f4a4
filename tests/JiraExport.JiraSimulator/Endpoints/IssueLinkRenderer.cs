using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary><c>issuelinks</c> and <c>parent</c>: other issues, each with the few fields Jira embeds for them.</summary>
internal static class IssueLinkRenderer
{
    /// <summary>The issue's links whose other issue still exists (a deleted issue takes its links with it).</summary>
    public static JsonArray Links(SeedIssue issue, ApiContext api, IssueStore store)
    {
        var links = new JsonArray();
        foreach (var link in issue.Links)
        {
            if (store.FindByKeyOrId(link.OtherIssueId) is not { } other)
            {
                continue;
            }

            links.Add(new JsonObject
            {
                ["id"] = link.Id,
                ["self"] = $"{api.Api}/issueLink/{link.Id}",
                ["type"] = new JsonObject
                {
                    ["id"] = link.Type.Id,
                    ["name"] = link.Type.Name,
                    ["inward"] = link.Type.Inward,
                    ["outward"] = link.Type.Outward,
                    ["self"] = $"{api.Api}/issueLinkType/{link.Type.Id}",
                },
                [link.OtherIsOutward ? "outwardIssue" : "inwardIssue"] = Linked(other.Id, other.Key, other.Summary, other.Status, other.Priority, other.IssueType, api),
            });
        }

        return links;
    }

    /// <summary>
    /// <c>parent</c> pointing at the issue's epic. The epic lives in the Agile catalogue, not the store, so its
    /// <c>self</c> (like a real parent's) points at <c>/issue/{id}</c>, which answers 404 here.
    /// </summary>
    public static JsonObject Parent(SeedEpic epic, ApiContext api)
    {
        var parent = Linked(
            epic.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), epic.Key, epic.Summary,
            epic.Done ? JiraCatalog.Done : JiraCatalog.InProgress, JiraCatalog.Priorities[2], AgileCatalog.EpicType, api);
        parent["fields"]!["issuetype"]!["hierarchyLevel"] = 1;
        return parent;
    }

    private static JsonObject Linked(string id, string key, string summary, SeedStatus status, SeedPriority priority, SeedIssueType type, ApiContext api) => new()
    {
        ["id"] = id,
        ["key"] = key,
        ["self"] = $"{api.Api}/issue/{id}",
        ["fields"] = new JsonObject
        {
            ["summary"] = summary,
            ["status"] = EntityRenderer.Status(status, api),
            ["priority"] = EntityRenderer.Priority(priority, api),
            ["issuetype"] = EntityRenderer.IssueType(type, api),
        },
    };
}
