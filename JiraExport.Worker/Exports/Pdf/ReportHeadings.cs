using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>A heading of the report HTML that becomes a bookmark: its level (1–3), its id and its text.</summary>
public sealed record ReportHeading(int Level, string Id, string Title);

/// <summary>
/// Finds the report's <c>h1</c>–<c>h3</c> headings and makes Chromium record where each one lands. Chromium writes a
/// named destination only for an element that some link points at, so a hidden block linking every heading
/// (<see cref="DestinationLinks"/>) goes into the printed HTML: it adds no link annotation and about 40 bytes per heading.
/// Headings without an id get one.
/// </summary>
public static partial class ReportHeadings
{
    /// <summary>
    /// Above this many headings the outline stops at <c>h2</c>. Chromium's time to place destinations grows faster than
    /// their count: the 1,000-issue detail report has about 6,000 <c>h1</c>–<c>h3</c> headings, whose destinations cost
    /// 5 s of printing, while its 1,000 <c>h2</c> cost nothing measurable; and an outline that long is no help to a reader.
    /// </summary>
    public const int MaxHeadingsWithThirdLevel = 1500;

    private const string GeneratedIdPrefix = "jx-heading-";

    /// <summary>The HTML with an id on every heading, and the headings in document order.</summary>
    public static (string Html, IReadOnlyList<ReportHeading> Headings) Prepare(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var headings = new List<ReportHeading>();
        var generated = 0;
        var deepest = Heading().Count(html) > MaxHeadingsWithThirdLevel ? 2 : 3;
        var withIds = Heading().Replace(html, match =>
        {
            var level = match.Groups["level"].Value[0] - '0';
            if (level > deepest)
            {
                return match.Value;
            }

            var attributes = match.Groups["attributes"].Value;
            var idMatch = IdAttribute().Match(attributes);
            var id = idMatch.Success ? WebUtility.HtmlDecode(idMatch.Groups["id"].Value) : GeneratedIdPrefix + ++generated;
            var title = Collapse(WebUtility.HtmlDecode(Tag().Replace(match.Groups["content"].Value, " ")));
            if (title.Length > 0 && id.Length > 0)
            {
                headings.Add(new ReportHeading(level, id, title.Length > 500 ? title[..500] : title));
            }

            return idMatch.Success
                ? match.Value
                : $"<h{level} id=\"{id}\"{attributes}>{match.Groups["content"].Value}</h{level}>";
        });

        return (headings.Count == 0 ? html : withIds, headings);
    }

    /// <summary>A hidden block linking every heading, so Chromium writes each one's destination; empty without headings.</summary>
    public static string DestinationLinks(IReadOnlyList<ReportHeading> headings)
    {
        ArgumentNullException.ThrowIfNull(headings);
        if (headings.Count == 0)
        {
            return string.Empty;
        }

        var links = new StringBuilder("<div hidden aria-hidden=\"true\">");
        foreach (var heading in headings)
        {
            links.Append("<a href=\"#").Append(WebUtility.HtmlEncode(heading.Id)).Append("\"></a>");
        }

        return links.Append("</div>").ToString();
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"<h(?<level>[1-3])(?<attributes>(?:\s[^>]*)?)>(?<content>.*?)</h\k<level>\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Heading();

    [GeneratedRegex("""\sid\s*=\s*(?:"(?<id>[^"]*)"|'(?<id>[^']*)'|(?<id>[^\s>]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex IdAttribute();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
