using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Comments (<c>Comment</c>) and pages of them (<c>PageOfComments</c>), also as the issue's <c>comment</c> field.</summary>
internal static class CommentRenderer
{
    /// <param name="rendered">For <c>renderedFields</c>: the body as HTML and the dates for display.</param>
    public static JsonObject Comment(SeedIssue issue, SeedComment comment, ApiContext api, bool renderedBody = false, bool rendered = false)
    {
        var json = new JsonObject
        {
            ["self"] = $"{api.Api}/issue/{issue.Id}/comment/{comment.Id}",
            ["id"] = comment.Id,
            ["author"] = EntityRenderer.User(comment.Author, api),
            ["body"] = rendered ? RichText.Html(comment.Paragraphs) : RichText.Body(comment.Paragraphs, api),
        };
        if (renderedBody)
        {
            json["renderedBody"] = RichText.Html(comment.Paragraphs);
        }

        json["updateAuthor"] = EntityRenderer.User(comment.Author, api);
        json["created"] = rendered ? JiraDates.Rendered(comment.Created) : JiraDates.Format(comment.Created);
        json["updated"] = rendered ? JiraDates.Rendered(comment.Updated) : JiraDates.Format(comment.Updated);
        json["jsdPublic"] = true;
        return json;
    }

    public static JsonObject Page(SeedIssue issue, IReadOnlyList<SeedComment> page, int startAt, int maxResults, ApiContext api, bool renderedBody) => new()
    {
        ["comments"] = new JsonArray(page.Select(c => (JsonNode?)Comment(issue, c, api, renderedBody)).ToArray()),
        ["maxResults"] = maxResults,
        ["total"] = issue.Comments.Count,
        ["startAt"] = startAt,
    };

    /// <summary>The <c>comment</c> field: every comment, oldest first, with the page's counters.</summary>
    public static JsonObject Field(SeedIssue issue, ApiContext api, bool rendered = false) => new()
    {
        ["comments"] = new JsonArray(issue.Comments.Select(c => (JsonNode?)Comment(issue, c, api, rendered: rendered)).ToArray()),
        ["self"] = $"{api.Api}/issue/{issue.Id}/comment",
        ["maxResults"] = issue.Comments.Count,
        ["total"] = issue.Comments.Count,
        ["startAt"] = 0,
    };
}
