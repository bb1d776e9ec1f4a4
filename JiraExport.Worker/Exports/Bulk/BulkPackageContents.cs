using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace JiraExport.Worker.Exports.Bulk;

/// <summary>A part as the package sees it: where it stands, and its file name when it has a file.</summary>
public sealed record PackagePart(Guid Id, int Ordinal, string Label, string Jql, string Status, string? FileName, int? IssueCount, string? Error);

/// <summary>What the package holds and what it lacks; <c>manifest.json</c> in a ZIP, an attachment of a merged PDF.</summary>
public sealed record BulkManifest(
    Guid ExportId, string? Title, string SplitBy, string Package, DateTimeOffset CreatedAt, int Parts, int Succeeded, int Failed,
    IReadOnlyList<BulkManifestEntry> Entries);

/// <param name="File">The entry name in the ZIP; null for a part without a file.</param>
public sealed record BulkManifestEntry(int Ordinal, string Label, string Jql, string Status, string? File, int? IssueCount, string? Error);

/// <summary>
/// Writes a bulk export's package to a stream, one part file at a time (the caller hands them in order, so no more than
/// one part is held at once): a ZIP with the parts' files and <c>manifest.json</c>, or one PDF with a bookmark per part.
/// </summary>
public static class BulkPackageContents
{
    public const string ManifestName = "manifest.json";

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteZipAsync(
        Stream output, BulkManifest manifest, IAsyncEnumerable<(PackagePart Part, byte[] Content)> files, CancellationToken cancellationToken)
    {
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ManifestName };
        var entryNames = new Dictionary<int, string>();
        await foreach (var (part, content) in files.WithCancellation(cancellationToken))
        {
            var name = UniqueName(part.FileName ?? $"part-{part.Ordinal + 1}", names);
            entryNames[part.Ordinal] = name;
            // PDFs are compressed already; deflating them again costs time and gains almost nothing.
            var level = name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
            var entry = zip.CreateEntry(name, level);
            await using var stream = await entry.OpenAsync(cancellationToken);
            await stream.WriteAsync(content, cancellationToken);
        }

        var withNames = manifest with
        {
            Entries = manifest.Entries.Select(e => e with { File = entryNames.GetValueOrDefault(e.Ordinal) }).ToList(),
        };
        var manifestEntry = zip.CreateEntry(ManifestName, CompressionLevel.Fastest);
        await using var manifestStream = await manifestEntry.OpenAsync(cancellationToken);
        await JsonSerializer.SerializeAsync(manifestStream, withNames, ManifestJson, cancellationToken);
    }

    /// <summary>One PDF: every part's pages in order, a bookmark on each part's first page, the manifest attached.</summary>
    public static async Task WriteMergedPdfAsync(
        Stream output, BulkManifest manifest, IAsyncEnumerable<(PackagePart Part, byte[] Content)> files, CancellationToken cancellationToken)
    {
        using var merged = new PdfDocument();
        merged.Info.Title = manifest.Title ?? "Jira export";
        merged.Info.Creator = "JiraExport";
        await foreach (var (part, content) in files.WithCancellation(cancellationToken))
        {
            using var source = new MemoryStream(content, writable: false);
            using var input = PdfReader.Open(source, PdfDocumentOpenMode.Import);
            PdfPage? first = null;
            foreach (var page in input.Pages)
            {
                var added = merged.AddPage(page);
                first ??= added;
            }

            if (first is not null)
            {
                merged.Outlines.Add(part.Label, first, opened: true);
            }
        }

        using var manifestStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson));
        merged.AddEmbeddedFile(ManifestName, manifestStream);
        merged.Save(output, closeStream: false);
    }

    private static string UniqueName(string fileName, HashSet<string> taken)
    {
        var name = fileName;
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var extension = Path.GetExtension(fileName);
        for (var n = 2; !taken.Add(name); n++)
        {
            name = $"{stem} ({n}){extension}";
        }

        return name;
    }
}
