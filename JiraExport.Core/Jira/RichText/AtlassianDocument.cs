using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.Core.Jira.RichText;

/// <summary>
/// Atlassian Document Format (Cloud v3's rich text) to sanitized HTML and to plain text. Only known nodes and marks
/// become tags; every text is encoded; links keep http(s) and mailto only; colours only as <c>#rrggbb</c>. Unknown
/// nodes keep their text, never their markup, so a report cannot carry script or styles from Jira.
/// </summary>
public static partial class AtlassianDocument
{
    public static string ToHtml(JsonElement document)
    {
        var html = new StringBuilder();
        WriteHtml(document, html);
        return html.ToString();
    }

    public static string ToPlainText(JsonElement document)
    {
        var text = new StringBuilder();
        WriteText(document, text);
        return MultipleBlankLines().Replace(text.ToString(), "\n\n").Trim();
    }

    private static void WriteHtml(JsonElement node, StringBuilder html)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (Type(node))
        {
            case "doc":
                Children(node, html);
                break;
            case "paragraph":
                Wrap(node, html, "p");
                break;
            case "heading":
                var level = Math.Clamp(Attr(node, "level")?.GetInt32() ?? 1, 1, 6);
                Wrap(node, html, $"h{level}");
                break;
            case "bulletList":
                Wrap(node, html, "ul");
                break;
            case "orderedList":
                var start = Attr(node, "order") is { ValueKind: JsonValueKind.Number } order ? order.GetInt32() : 1;
                html.Append(start == 1 ? "<ol>" : $"<ol start=\"{start}\">");
                Children(node, html);
                html.Append("</ol>");
                break;
            case "listItem":
                Wrap(node, html, "li");
                break;
            case "blockquote":
                Wrap(node, html, "blockquote");
                break;
            case "codeBlock":
                var language = Attr(node, "language")?.GetString() is { } lang && SafeToken().IsMatch(lang) ? $" class=\"language-{lang}\"" : string.Empty;
                html.Append($"<pre><code{language}>");
                html.Append(WebUtility.HtmlEncode(TextOf(node)));
                html.Append("</code></pre>");
                break;
            case "panel":
                var panel = Attr(node, "panelType")?.GetString() is { } type && SafeToken().IsMatch(type) ? type : "info";
                html.Append($"<div class=\"panel panel-{panel}\">");
                Children(node, html);
                html.Append("</div>");
                break;
            case "rule":
                html.Append("<hr>");
                break;
            case "table":
                html.Append("<table>");
                Children(node, html);
                html.Append("</table>");
                break;
            case "tableRow":
                Wrap(node, html, "tr");
                break;
            case "tableHeader":
                Wrap(node, html, "th");
                break;
            case "tableCell":
                Wrap(node, html, "td");
                break;
            case "hardBreak":
                html.Append("<br>");
                break;
            case "text":
                WriteMarkedText(node, html);
                break;
            case "mention":
                html.Append("<span class=\"mention\">").Append(WebUtility.HtmlEncode(InlineText(node))).Append("</span>");
                break;
            case "status":
                html.Append("<span class=\"status\">").Append(WebUtility.HtmlEncode(InlineText(node))).Append("</span>");
                break;
            case "inlineCard" or "blockCard" or "embedCard":
                var url = Attr(node, "url")?.GetString();
                if (SafeUrl(url))
                {
                    html.Append($"<a href=\"{WebUtility.HtmlEncode(url)}\" rel=\"noopener nofollow\">{WebUtility.HtmlEncode(url)}</a>");
                }

                break;
            case "mediaSingle" or "mediaGroup" or "media":
                // Attachments are not fetched into reports; a marker says one was there.
                if (Type(node) == "media")
                {
                    html.Append("<span class=\"media\">[").Append(WebUtility.HtmlEncode(Attr(node, "alt")?.GetString() ?? "attachment")).Append("]</span>");
                }
                else
                {
                    Children(node, html);
                }

                break;
            default:
                // emoji, date and anything newer: their text, encoded.
                html.Append(WebUtility.HtmlEncode(InlineText(node)));
                Children(node, html);
                break;
        }
    }

    private static void WriteMarkedText(JsonElement node, StringBuilder html)
    {
        var text = WebUtility.HtmlEncode(node.TryGetProperty("text", out var t) ? t.GetString() : string.Empty);
        if (!node.TryGetProperty("marks", out var marks) || marks.ValueKind != JsonValueKind.Array)
        {
            html.Append(text);
            return;
        }

        var closing = new Stack<string>();
        foreach (var mark in marks.EnumerateArray())
        {
            var (open, close) = Type(mark) switch
            {
                "strong" => ("<strong>", "</strong>"),
                "em" => ("<em>", "</em>"),
                "code" => ("<code>", "</code>"),
                "strike" => ("<s>", "</s>"),
                "underline" => ("<u>", "</u>"),
                "subsup" => Attr(mark, "type")?.GetString() == "sub" ? ("<sub>", "</sub>") : ("<sup>", "</sup>"),
                "link" when SafeUrl(Attr(mark, "href")?.GetString()) =>
                    ($"<a href=\"{WebUtility.HtmlEncode(Attr(mark, "href")!.Value.GetString())}\" rel=\"noopener nofollow\">", "</a>"),
                "textColor" when Attr(mark, "color")?.GetString() is { } color && HexColour().IsMatch(color) =>
                    ($"<span style=\"color:{color}\">", "</span>"),
                _ => (string.Empty, string.Empty),
            };
            html.Append(open);
            closing.Push(close);
        }

        html.Append(text);
        while (closing.Count > 0)
        {
            html.Append(closing.Pop());
        }
    }

    private static void WriteText(JsonElement node, StringBuilder text)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (Type(node))
        {
            case "text":
                text.Append(node.TryGetProperty("text", out var t) ? t.GetString() : string.Empty);
                return;
            case "hardBreak":
                text.Append('\n');
                return;
            case "listItem":
                text.Append("- ");
                break;
            case "rule":
                text.Append("\n---\n");
                return;
            case "inlineCard" or "blockCard" or "embedCard":
                text.Append(Attr(node, "url")?.GetString());
                return;
            case "mention" or "status" or "emoji" or "date":
                text.Append(InlineText(node));
                return;
            case "tableCell" or "tableHeader":
                ChildrenText(node, text);
                text.Append('\t');
                return;
        }

        ChildrenText(node, text);
        if (Type(node) is "paragraph" or "heading" or "codeBlock" or "blockquote" or "panel" or "tableRow" or "listItem")
        {
            text.Append('\n');
            if (Type(node) is not ("listItem" or "tableRow"))
            {
                text.Append('\n');
            }
        }
    }

    private static void Wrap(JsonElement node, StringBuilder html, string tag)
    {
        html.Append('<').Append(tag).Append('>');
        Children(node, html);
        html.Append("</").Append(tag).Append('>');
    }

    private static void Children(JsonElement node, StringBuilder html)
    {
        if (node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in content.EnumerateArray())
            {
                WriteHtml(child, html);
            }
        }
    }

    private static void ChildrenText(JsonElement node, StringBuilder text)
    {
        if (node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in content.EnumerateArray())
            {
                WriteText(child, text);
            }
        }
    }

    /// <summary>The text of a leaf node that keeps it in attributes (mention, status, emoji, date).</summary>
    private static string InlineText(JsonElement node) => Type(node) switch
    {
        "mention" => Attr(node, "text")?.GetString() is { } name ? (name.StartsWith('@') ? name : "@" + name) : "@someone",
        "status" => Attr(node, "text")?.GetString() ?? string.Empty,
        "emoji" => Attr(node, "text")?.GetString() ?? Attr(node, "shortName")?.GetString() ?? string.Empty,
        "date" => Attr(node, "timestamp")?.GetString() is { } ms && long.TryParse(ms, CultureInfo.InvariantCulture, out var value)
            ? DateTimeOffset.FromUnixTimeMilliseconds(value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : string.Empty,
        _ => string.Empty,
    };

    private static string TextOf(JsonElement node)
    {
        var text = new StringBuilder();
        ChildrenText(node, text);
        return text.ToString();
    }

    private static string? Type(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("type", out var type) ? type.GetString() : null;

    private static JsonElement? Attr(JsonElement node, string name) =>
        node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(name, out var value)
            ? value
            : null;

    private static bool SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto";

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColour();

    [GeneratedRegex("^[A-Za-z0-9_+-]{1,40}$")]
    private static partial Regex SafeToken();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
