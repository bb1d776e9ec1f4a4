using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// Builds the document outline (bookmarks) from the report's headings: each heading's page and position come from the
/// named destination Chromium wrote for its id (see <see cref="ReportHeadings"/>); h2 nests under h1, h3 under h2.
/// </summary>
internal static class PdfOutlineBuilder
{
    /// <returns>The number of bookmarks added; headings without a destination (never printed) are left out.</returns>
    public static int Build(PdfDocument document, IReadOnlyList<ReportHeading> headings)
    {
        if (headings.Count == 0)
        {
            return 0;
        }

        var destinations = PdfNamedDestinations.Read(document);
        var pages = new Dictionary<PdfReference, PdfPage>();
        foreach (var page in document.Pages)
        {
            if (page.Reference is { } reference)
            {
                pages[reference] = page;
            }
        }

        // parents[level - 1] is the latest bookmark at that level; a deeper heading without one hangs off the nearest above.
        var parents = new PdfOutline?[3];
        var added = 0;
        foreach (var heading in headings)
        {
            if (!destinations.TryGetValue(heading.Id, out var destination)
                || destination.Elements.Count < 1
                || destination.Elements[0] is not PdfReference pageReference
                || !pages.TryGetValue(pageReference, out var page))
            {
                continue;
            }

            var siblings = document.Outlines;
            for (var level = heading.Level - 1; level > 0; level--)
            {
                if (parents[level - 1] is { } parent)
                {
                    siblings = parent.Outlines;
                    break;
                }
            }

            var outline = siblings.Add(heading.Title, page, opened: heading.Level == 1);
            if (destination.Elements.Count >= 4 && destination.Elements.GetName(1) == "/XYZ")
            {
                // Land on the heading itself, not the top of its page.
                outline.PageDestinationType = PdfPageDestinationType.Xyz;
                outline.Left = destination.Elements.GetReal(2);
                outline.Top = destination.Elements.GetReal(3);
            }

            parents[heading.Level - 1] = outline;
            for (var deeper = heading.Level; deeper < parents.Length; deeper++)
            {
                parents[deeper] = null;
            }

            added++;
        }

        if (added > 0)
        {
            document.PageMode = PdfPageMode.UseOutlines;
        }

        return added;
    }
}
