using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>Reads a PDF's named destinations: where the targets of its internal links and the report's headings are.</summary>
internal static class PdfNamedDestinations
{
    /// <summary>The document's named destinations by name: the catalog's <c>/Dests</c> dictionary (what Chromium writes) or the <c>/Names</c> tree.</summary>
    public static Dictionary<string, PdfArray> Read(PdfDocument document)
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
