using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;
using JiraExport.Worker.Exports.Chromium;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// Joins the PDFs of a report printed in parts (<see cref="ReportPrintParts"/>) into one: the pages in order with their
/// links, the parts' named destinations pointing at the joined pages (a part's placeholder gives way to the real one), and
/// "n / N" stamped over the whole where Chromium would have printed it.
/// </summary>
internal static class PdfPartJoiner
{
    private const string ContentsKey = "/Contents";

    public static PdfDocument Join(IReadOnlyList<(byte[] Pdf, IReadOnlySet<string> PlaceholderIds)> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        DejaVuFontResolver.EnsureRegistered();
        var joined = new PdfDocument();
        try
        {
            var destinations = new PdfDictionary(joined);
            foreach (var (pdf, placeholderIds) in parts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var part = PdfReader.Open(new MemoryStream(pdf, writable: false), PdfDocumentOpenMode.Import);
                var pageFor = new Dictionary<PdfReference, PdfPage>();
                foreach (var page in part.Pages)
                {
                    // Importing keeps the page's link annotations; their named targets are resolved through the catalog below.
                    var added = joined.AddPage(page);
                    if (page.Reference is { } reference)
                    {
                        pageFor[reference] = added;
                    }
                }

                foreach (var (name, destination) in PdfNamedDestinations.Read(part))
                {
                    if (!placeholderIds.Contains(name)
                        && destination.Elements.Count > 0
                        && destination.Elements[0] is PdfReference target
                        && pageFor.TryGetValue(target, out var joinedPage))
                    {
                        var moved = new PdfArray(joined);
                        moved.Elements.Add(joinedPage.Reference!);
                        for (var i = 1; i < destination.Elements.Count; i++)
                        {
                            moved.Elements.Add(destination.Elements[i]);
                        }

                        destinations.Elements["/" + name] = moved;
                    }
                }
            }

            joined.Internals.AddObject(destinations);
            joined.Internals.Catalog.Elements["/Dests"] = destinations.Reference;
            StampPageNumbers(joined);
            return joined;
        }
        catch
        {
            joined.Dispose();
            throw;
        }
    }

    /// <summary>"n / N" right in the footer, in the type and colour of Chromium's own page numbers.</summary>
    private static void StampPageNumbers(PdfDocument document)
    {
        var font = new XFont(DejaVuFontResolver.FamilyName, ChromiumPdfRenderer.FooterFontSize);
        var color = ChromiumPdfRenderer.FooterColor;
        var brush = new XSolidBrush(XColor.FromArgb(color >> 16, (color >> 8) & 0xff, color & 0xff));
        var footerHeight = XUnit.FromMillimeter(ChromiumPdfRenderer.FooterHeightMm).Point;
        var sideMargin = XUnit.FromMillimeter(ChromiumPdfRenderer.SideMarginMm).Point;

        // PDFsharp inflates a page's existing content to wrap it in q … Q before drawing on it, and deflating 680 pages
        // again costs most of a second. The printed content is therefore set aside while the number is drawn, then put
        // back in front of it between two shared streams that save and restore the graphics state.
        var saveState = ContentStream(document, "q\n");
        var restoreState = ContentStream(document, "Q\n");
        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = document.Pages[i];
            var printed = page.Elements[ContentsKey];
            page.Elements.Remove(ContentsKey);
            using (var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
            {
                var box = new XRect(0, page.Height.Point - footerHeight, page.Width.Point - sideMargin, footerHeight);
                graphics.DrawString($"{i + 1} / {count}", font, brush, box, XStringFormats.CenterRight);
            }

            // Chromium writes one stream a page; an array of them is kept in its order.
            var contents = page.Contents.Elements;
            List<PdfItem> printedStreams = printed switch
            {
                null => [],
                PdfReference { Value: PdfArray array } => [.. array.Elements],
                PdfArray array => [.. array.Elements],
                _ => [printed],
            };
            contents.Insert(0, restoreState);
            for (var s = printedStreams.Count - 1; s >= 0; s--)
            {
                contents.Insert(0, printedStreams[s]);
            }

            contents.Insert(0, saveState);
        }
    }

    private static PdfReference ContentStream(PdfDocument document, string operators)
    {
        var stream = new PdfDictionary(document);
        stream.CreateStream(System.Text.Encoding.ASCII.GetBytes(operators));
        document.Internals.AddObject(stream);
        return stream.Reference!;
    }
}
