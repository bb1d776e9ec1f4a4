using System.IO.Compression;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// Compresses the page content PDFsharp leaves uncompressed (what it drew, and Chromium's content it inflated to draw
/// over) with .NET's zlib. PDFsharp 6.2.4's own Flate encoder ends a stream without its final block, which readers
/// tolerate but <c>qpdf --check</c> reports on every page ("input stream is complete but output may still be valid");
/// PDFsharp is therefore told to compress nothing itself.
/// </summary>
internal static class PdfContentCompression
{
    private const string FilterKey = "/Filter";

    // Below this a compressed stream is no shorter (zlib's header and checksum alone take 6 bytes).
    private const int MinimumBytes = 64;

    public static void Apply(PdfDocument document, CancellationToken cancellationToken)
    {
        document.Options.CompressContentStreams = false;
        foreach (var page in document.Pages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var item in page.Contents.Elements)
            {
                if (item is PdfReference { Value: PdfDictionary { Stream: { } stream } content }
                    && !content.Elements.ContainsKey(FilterKey)
                    && stream.Value.Length >= MinimumBytes)
                {
                    stream.Value = Deflate(stream.Value);
                    content.Elements[FilterKey] = new PdfName("/FlateDecode");
                }
            }
        }
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream(raw.Length / 2);
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }
}
