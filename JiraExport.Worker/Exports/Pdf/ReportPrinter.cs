using System.Diagnostics;
using JiraExport.Worker.Exports.Chromium;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>What a report's HTML became: the finished PDF and what it took.</summary>
public sealed record PrintedReport(byte[] Pdf, int Parts, int PrintedBytes, long PrintMs, long FinishMs);

/// <summary>
/// Prints a report's HTML with Chromium and finishes the PDF: marks the headings for the outline, prints (a long report in
/// parts side by side, see <see cref="ReportPrintParts"/>, joined by <see cref="PdfPartJoiner"/>), then runs
/// <see cref="PdfFinisher"/> with the plan the caller resolves from the headings. Stateless; a singleton.
/// </summary>
public sealed class ReportPrinter(ChromiumPdfRenderer chromium, PdfFinisher finisher, IOptions<ChromiumOptions> chromiumOptions)
{
    /// <param name="partPrinted">Called with (parts printed, parts) as each part comes back from Chromium.</param>
    public async Task<PrintedReport> PrintAsync(
        string html,
        bool outline,
        PdfPageSetup setup,
        Func<IReadOnlyList<ReportHeading>, FinishingPlan> planFor,
        Func<int, int, Task> partPrinted,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planFor);
        ArgumentNullException.ThrowIfNull(partPrinted);
        var (withIds, headings) = outline ? ReportHeadings.Prepare(html) : (html, []);
        var printing = chromiumOptions.Value;
        var partCount = ReportPrintParts.CountFor(withIds.Length, Math.Min(printing.PrintParts, printing.PagePoolSize), printing.PrintInPartsAboveChars);
        var parts = ReportPrintParts.Split(withIds, headings, partCount, printing.PrintInPartsAboveChars);
        var plan = planFor(headings);

        var started = Stopwatch.GetTimestamp();
        if (parts.Count == 1)
        {
            var pdf = await chromium.RenderPdfAsync(parts[0].Html, setup, cancellationToken);
            var printedAt = Stopwatch.GetTimestamp();
            await partPrinted(1, 1);
            var finished = await finisher.FinishAsync(pdf, plan, cancellationToken);
            return new PrintedReport(finished, 1, pdf.Length, Milliseconds(started, printedAt), Milliseconds(printedAt, Stopwatch.GetTimestamp()));
        }

        var pdfs = await PrintPartsAsync(parts, setup with { PageNumbers = false }, partPrinted, cancellationToken);
        var joinedAt = Stopwatch.GetTimestamp();
        var printedBytes = pdfs.Sum(pdf => pdf.Length);
        using var joined = PdfPartJoiner.Join([.. pdfs.Select((pdf, i) => (pdf, parts[i].PlaceholderIds))], cancellationToken);
        var joinedPdf = await finisher.FinishAsync(joined, printedBytes, plan, cancellationToken);
        return new PrintedReport(joinedPdf, parts.Count, printedBytes, Milliseconds(started, joinedAt), Milliseconds(joinedAt, Stopwatch.GetTimestamp()));
    }

    /// <summary>Prints the parts side by side (the page pool bounds how many at once); the first failure cancels the others.</summary>
    private async Task<byte[][]> PrintPartsAsync(
        IReadOnlyList<ReportPrintPart> parts, PdfPageSetup setup, Func<int, int, Task> partPrinted, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var printed = 0;
        return await Task.WhenAll(parts.Select(async part =>
        {
            try
            {
                var pdf = await chromium.RenderPdfAsync(part.Html, setup, failed.Token);
                await partPrinted(Interlocked.Increment(ref printed), parts.Count);
                return pdf;
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }));
    }

    private static long Milliseconds(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
