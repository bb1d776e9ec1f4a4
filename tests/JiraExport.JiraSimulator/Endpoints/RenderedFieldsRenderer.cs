using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// <c>renderedFields</c> (API-NOTES 2.9): the same keys as <c>fields</c>; text as HTML, dates for display, and null
/// for fields Jira does not render.
/// </summary>
internal static class RenderedFieldsRenderer
{
    public static JsonObject Render(SeedIssue issue, IEnumerable<string> fieldNames, ApiContext api)
    {
        var rendered = new JsonObject();
        foreach (var name in fieldNames)
        {
            rendered[name] = name switch
            {
                "description" => issue.DescriptionParagraphs.Count == 0 ? null : RichText.Html(issue.DescriptionParagraphs),
                "created" => JiraDates.Rendered(issue.Created),
                "updated" => JiraDates.Rendered(issue.Updated),
                "comment" => CommentRenderer.Field(issue, api, rendered: true),
                "worklog" => WorklogRenderer.Field(issue, api, rendered: true),
                "timetracking" => WorklogRenderer.TimeTracking(issue),
                _ => null,
            };
        }

        return rendered;
    }
}
