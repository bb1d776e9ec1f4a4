using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// The <c>attachment</c> field: metadata only. <c>content</c> names where Cloud (v3) or Data Center (v2) serves the
/// file; the simulator does not serve it.
/// </summary>
internal static class AttachmentRenderer
{
    public static JsonArray Attachments(SeedIssue issue, ApiContext api) => new(issue.Attachments.Select(a =>
    {
        var json = new JsonObject
        {
            ["self"] = $"{api.Api}/attachment/{a.Id}",
            ["id"] = a.Id,
            ["filename"] = a.FileName,
            ["author"] = EntityRenderer.User(a.Author, api),
            ["created"] = JiraDates.Format(a.Created),
            ["size"] = a.Size,
            ["mimeType"] = a.MimeType,
            ["content"] = api.Version == 3
                ? $"{api.Api}/attachment/content/{a.Id}"
                : $"{api.BaseUrl}/secure/attachment/{a.Id}/{Uri.EscapeDataString(a.FileName)}",
        };
        if (a.MimeType.StartsWith("image/", StringComparison.Ordinal))
        {
            json["thumbnail"] = api.Version == 3
                ? $"{api.Api}/attachment/thumbnail/{a.Id}"
                : $"{api.BaseUrl}/secure/thumbnail/{a.Id}/_thumb_{a.Id}.png";
        }

        return (JsonNode?)json;
    }).ToArray());
}
