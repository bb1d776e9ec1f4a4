using System.Text;
using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Multi-line text (descriptions, comment bodies, worklog comments) as each API speaks it: v3 Atlassian Document
/// Format, v2 (and Data Center) wiki markup, and HTML for <c>renderedFields</c>. The simulator's text is plain
/// paragraphs, so each format is a paragraph list.
/// </summary>
internal static class RichText
{
    public static JsonNode Body(IReadOnlyList<string> paragraphs, ApiContext api) =>
        api.Version == 3 ? Adf(paragraphs) : Wiki(paragraphs);

    public static JsonObject Adf(IReadOnlyList<string> paragraphs) => new()
    {
        ["type"] = "doc",
        ["version"] = 1,
        ["content"] = new JsonArray(paragraphs.Select(p => (JsonNode?)new JsonObject
        {
            ["type"] = "paragraph",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = p }),
        }).ToArray()),
    };

    public static string Wiki(IReadOnlyList<string> paragraphs) => string.Join("\n\n", paragraphs);

    /// <summary>One <c>&lt;p&gt;</c> per paragraph, as Jira renders plain wiki text; non-ASCII stays as is.</summary>
    public static string Html(IReadOnlyList<string> paragraphs)
    {
        var html = new StringBuilder();
        foreach (var paragraph in paragraphs)
        {
            if (html.Length > 0)
            {
                html.Append('\n');
            }

            html.Append("<p>").Append(Escape(paragraph)).Append("</p>");
        }

        return html.ToString();
    }

    private static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
