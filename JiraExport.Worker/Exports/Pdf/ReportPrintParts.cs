using System.Text;
using System.Text.RegularExpressions;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// One part of a report's HTML, printed on a page of its own.
/// </summary>
/// <param name="Html">A whole document: the report's head, then its share of the body.</param>
/// <param name="PlaceholderIds">Ids this part only holds as empty stand-ins, so its links into other parts are printed;
/// their destinations come from the part that holds the element itself.</param>
public sealed record ReportPrintPart(string Html, IReadOnlySet<string> PlaceholderIds);

/// <summary>
/// Cuts a long report's HTML into parts that print side by side and are joined afterwards (<see cref="PdfPartJoiner"/>).
/// A template marks where a cut may go with a <c>data-print-part</c> attribute on the blocks that repeat at the top of the
/// body (the detail report's one article per issue); every part starts on a new page. Jira's text cannot forge a mark:
/// Fluid encodes its <c>&lt;</c>, and descriptions and comments are HTML written by our own rich-text converters.
/// </summary>
public static partial class ReportPrintParts
{
    private static readonly IReadOnlySet<string> NoIds = new HashSet<string>();

    /// <summary>Parts per page printing at once at most: more, smaller parts let a long print report its progress part by part.</summary>
    public const int MaxPartsPerPrintingPage = 4;

    /// <summary>
    /// How many parts HTML of <paramref name="chars"/> characters prints in: one part per <paramref name="minChars"/>, at
    /// least one per page printing at once (<paramref name="concurrency"/>) and at most <see cref="MaxPartsPerPrintingPage"/> per page.
    /// </summary>
    public static int CountFor(int chars, int concurrency, int minChars) =>
        concurrency < 2 || chars < minChars ? 1 : Math.Clamp(chars / minChars, concurrency, concurrency * MaxPartsPerPrintingPage);

    /// <summary>
    /// The parts to print: <paramref name="parts"/> of about equal length, or the whole as one part when the HTML is shorter
    /// than <paramref name="minChars"/> or has too few marks. Each part carries the headings' destination links.
    /// </summary>
    public static IReadOnlyList<ReportPrintPart> Split(string html, IReadOnlyList<ReportHeading> headings, int parts, int minChars)
    {
        ArgumentNullException.ThrowIfNull(html);
        var destinationLinks = ReportHeadings.DestinationLinks(headings);
        var body = BodyStartTag().Match(html);
        var cuts = parts < 2 || html.Length < minChars || !body.Success ? [] : Cuts(html, body.Index + body.Length, parts);
        if (cuts.Count == 0)
        {
            return [new ReportPrintPart(Append(html, destinationLinks), NoIds)];
        }

        // Every part after the first repeats the head and the body's start tag, so it has the same styles.
        var bodyStart = body.Index + body.Length;
        var bodies = cuts.Prepend(0).Zip(cuts.Append(html.Length), (start, end) => (Start: start, End: end)).ToList();
        var idsByPart = bodies.Select(b => Matches(IdAttribute(), html, b.Start, b.End)).ToList();
        var allIds = idsByPart.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);

        var result = new List<ReportPrintPart>(bodies.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            var (from, to) = bodies[i];
            var placeholders = Matches(FragmentLink(), html, from, to);
            placeholders.RemoveWhere(id => idsByPart[i].Contains(id) || !allIds.Contains(id));

            var part = i == 0 ? html[from..to] : string.Concat(html.AsSpan(0, bodyStart), html.AsSpan(from, to - from));
            result.Add(new ReportPrintPart(Append(part, Placeholders(placeholders) + destinationLinks), placeholders));
        }

        return result;
    }

    /// <summary>Where each part after the first starts: the first mark after an even share of the body.</summary>
    private static List<int> Cuts(string html, int bodyStart, int parts)
    {
        var marks = PartMark().Matches(html, bodyStart).Select(m => m.Index).ToList();
        var cuts = new List<int>();
        for (var i = 1; i < parts; i++)
        {
            var target = bodyStart + ((long)(html.Length - bodyStart) * i / parts);
            var next = marks.FindIndex(mark => mark >= target && mark > (cuts.Count == 0 ? bodyStart : cuts[^1]));
            if (next >= 0)
            {
                cuts.Add(marks[next]);
            }
        }

        return cuts;
    }

    private static HashSet<string> Matches(Regex regex, string html, int from, int to)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        for (var match = regex.Match(html, from, to - from); match.Success; match = match.NextMatch())
        {
            found.Add(match.Groups["id"].Value);
        }

        return found;
    }

    /// <summary>Empty, laid-out elements with the ids: Chromium writes a link only when its target is in the document.</summary>
    private static string Placeholders(IReadOnlySet<string> ids)
    {
        if (ids.Count == 0)
        {
            return string.Empty;
        }

        var block = new StringBuilder("<div aria-hidden=\"true\" style=\"height:0;margin:0;padding:0;border:0;overflow:hidden\">");
        foreach (var id in ids)
        {
            // The id is copied as it stood between double quotes, so it needs no further encoding.
            block.Append("<span id=\"").Append(id).Append("\"></span>");
        }

        return block.Append("</div>").ToString();
    }

    /// <summary>Adds <paramref name="content"/> at the end of the body, before <c>&lt;/body&gt;</c> when there is one.</summary>
    private static string Append(string html, string content)
    {
        if (content.Length == 0)
        {
            return html;
        }

        var bodyEnd = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return bodyEnd < 0 ? html + content : html.Insert(bodyEnd, content);
    }

    [GeneratedRegex(@"<body(?:\s[^>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex BodyStartTag();

    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9-]*\s[^>]*?\bdata-print-part\b")]
    private static partial Regex PartMark();

    [GeneratedRegex("""\sid="(?<id>[^"]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("""\shref="#(?<id>[^"]+)""")]
    private static partial Regex FragmentLink();
}
