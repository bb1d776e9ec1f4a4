using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace JiraExport.Core.Jira.RichText;

/// <summary>
/// Jira wiki markup (Data Center, and the v2 API on Cloud) to sanitized HTML and to plain text: headings, lists, code
/// and noformat blocks, quotes, bold, italic, strike, underline, monospace and links. Everything is encoded first, so
/// only the tags this class writes can appear; links keep http(s) and mailto only.
/// </summary>
public static partial class WikiMarkup
{
    public static string ToHtml(string? wiki)
    {
        var html = new StringBuilder();
        var paragraph = new List<string>();
        var listTag = (string?)null;
        var lines = (wiki ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (BlockStart().Match(line) is { Success: true } block)
            {
                // {code}…{code} and {noformat}…{noformat}: verbatim until the closing tag.
                var tag = block.Groups["tag"].Value;
                var body = new List<string>();
                var rest = line[block.Length..];
                var close = $"{{{tag}}}";
                while (!rest.Contains(close, StringComparison.Ordinal) && i + 1 < lines.Length)
                {
                    body.Add(rest);
                    rest = lines[++i];
                }

                body.Add(rest.Split(close)[0]);
                Flush(html, paragraph, ref listTag);
                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(string.Join('\n', body).Trim('\n'))).Append("</code></pre>");
                continue;
            }

            if (Heading().Match(line) is { Success: true } heading)
            {
                Flush(html, paragraph, ref listTag);
                var level = heading.Groups["level"].Value;
                html.Append($"<h{level}>").Append(Inline(heading.Groups["text"].Value)).Append($"</h{level}>");
            }
            else if (ListItem().Match(line) is { Success: true } item)
            {
                var tag = item.Groups["marker"].Value[0] == '#' ? "ol" : "ul";
                if (listTag != tag)
                {
                    Flush(html, paragraph, ref listTag);
                    html.Append('<').Append(tag).Append('>');
                    listTag = tag;
                }

                html.Append("<li>").Append(Inline(item.Groups["text"].Value)).Append("</li>");
            }
            else if (line.StartsWith("bq. ", StringComparison.Ordinal))
            {
                Flush(html, paragraph, ref listTag);
                html.Append("<blockquote>").Append(Inline(line[4..])).Append("</blockquote>");
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                Flush(html, paragraph, ref listTag);
            }
            else
            {
                if (listTag is not null)
                {
                    Flush(html, paragraph, ref listTag);
                }

                paragraph.Add(Inline(line));
            }
        }

        Flush(html, paragraph, ref listTag);
        return html.ToString();
    }

    public static string ToPlainText(string? wiki)
    {
        var text = BlockMarker().Replace(wiki ?? string.Empty, string.Empty);
        text = HeadingMarker().Replace(text, string.Empty);
        text = LinkWithText().Replace(text, m => $"{m.Groups["text"].Value} ({m.Groups["url"].Value})");
        text = BareLink().Replace(text, "${url}");
        text = Monospace().Replace(text, "${text}");
        text = Emphasis().Replace(text, "${text}");
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
    }

    private static void Flush(StringBuilder html, List<string> paragraph, ref string? listTag)
    {
        if (listTag is not null)
        {
            html.Append("</").Append(listTag).Append('>');
            listTag = null;
        }

        if (paragraph.Count > 0)
        {
            html.Append("<p>").Append(string.Join("<br>", paragraph)).Append("</p>");
            paragraph.Clear();
        }
    }

    /// <summary>Inline formatting over already-encoded text: the markers survive encoding, tags in the text do not.</summary>
    private static string Inline(string text)
    {
        var html = WebUtility.HtmlEncode(text);
        html = LinkWithText().Replace(html, m => Link(m.Groups["url"].Value, m.Groups["text"].Value));
        html = BareLink().Replace(html, m => Link(m.Groups["url"].Value, m.Groups["url"].Value));
        html = Monospace().Replace(html, "<code>${text}</code>");
        html = Emphasis().Replace(html, m => m.Groups["marker"].Value switch
        {
            "*" => $"<strong>{m.Groups["text"].Value}</strong>",
            "_" => $"<em>{m.Groups["text"].Value}</em>",
            "-" => $"<s>{m.Groups["text"].Value}</s>",
            _ => $"<u>{m.Groups["text"].Value}</u>",
        });
        return html;
    }

    private static string Link(string encodedUrl, string encodedText) =>
        Uri.TryCreate(WebUtility.HtmlDecode(encodedUrl), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto"
            ? $"<a href=\"{encodedUrl}\" rel=\"noopener nofollow\">{encodedText}</a>"
            : encodedText;

    [GeneratedRegex(@"^\{(?<tag>code|noformat)(:[^}]*)?\}")]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"\{(code|noformat)(:[^}]*)?\}")]
    private static partial Regex BlockMarker();

    [GeneratedRegex(@"^h(?<level>[1-6])\.\s+(?<text>.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^h[1-6]\.\s+", RegexOptions.Multiline)]
    private static partial Regex HeadingMarker();

    [GeneratedRegex(@"^(?<marker>[*#-]+)\s+(?<text>.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\[(?<text>[^\[\]|]+)\|(?<url>[^\[\]|\s]+)\]")]
    private static partial Regex LinkWithText();

    [GeneratedRegex(@"\[(?<url>(https?|mailto):[^\[\]|\s]+)\]")]
    private static partial Regex BareLink();

    [GeneratedRegex(@"\{\{(?<text>.+?)\}\}")]
    private static partial Regex Monospace();

    // A marker must open after a non-word character and close before one, so hyphenated words stay words.
    [GeneratedRegex(@"(?<![\w*_+-])(?<marker>[*_+-])(?<text>[^\s*_+-](?:.*?[^\s])?)\k<marker>(?![\w*_+-])")]
    private static partial Regex Emphasis();
}
