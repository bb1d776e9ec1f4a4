using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace JiraExport.Worker.Finishing;

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

        var destinations = ReadDestinations(document);
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

    /// <summary>The document's named destinations by name: the catalog's <c>/Dests</c> dictionary (what Chromium writes) or the <c>/Names</c> tree.</summary>
    private static Dictionary<string, PdfArray> ReadDestinations(PdfDocument document)
    {
        var result = new Dictionary<string, PdfArray>(StringComparer.Ordinal);
        var catalog = document.Internals.Catalog;
        if (catalog.Elements.GetDictionary("/Dests") is { } dests)
        {
            foreach (var key in dests.Elements.Keys)
            {
                if (AsDestination(dests.Elements[key]) is { } array)
                {
                    result[key.TrimStart('/')] = array;
                }
            }
        }

        if (catalog.Elements.GetDictionary("/Names")?.Elements.GetDictionary("/Dests") is { } tree)
        {
            ReadNameTree(tree, result, depth: 0);
        }

        return result;
    }

    private static void ReadNameTree(PdfDictionary node, Dictionary<string, PdfArray> result, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        if (node.Elements.GetArray("/Names") is { } names)
        {
            for (var i = 0; i + 1 < names.Elements.Count; i += 2)
            {
                if (Resolve(names.Elements[i]) is PdfString name && AsDestination(names.Elements[i + 1]) is { } array)
                {
                    result.TryAdd(name.Value, array);
                }
            }
        }

        if (node.Elements.GetArray("/Kids") is { } kids)
        {
            for (var i = 0; i < kids.Elements.Count; i++)
            {
                if (kids.Elements.GetDictionary(i) is { } kid)
                {
                    ReadNameTree(kid, result, depth + 1);
                }
            }
        }
    }

    private static PdfArray? AsDestination(PdfItem? item) => Resolve(item) switch
    {
        PdfArray array => array,
        PdfDictionary dictionary => dictionary.Elements.GetArray("/D"),
        _ => null,
    };

    private static PdfItem? Resolve(PdfItem? item) => item is PdfReference reference ? reference.Value : item;
}
