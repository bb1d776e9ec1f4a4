using System.Diagnostics;
using JiraExport.Core.Reports;
using JiraExport.Worker.Exports.Chromium;
using JiraExport.Worker.Exports.Pdf;
using UglyToad.PdfPig;

namespace JiraExport.Benchmarks;

/// <summary>
/// Runs the Worker's real pipeline — a built-in template through <see cref="ReportTemplateEngine"/>, then
/// <see cref="ReportPrinter"/> (Chromium, in parts when long, joined and finished with the outline), called the way an
/// export calls them — once to launch Chromium, once more to warm up, then <see cref="BenchmarkOptions.Iterations"/> measured times.
/// </summary>
internal sealed class RenderingBenchmark(ReportTemplateEngine templates, ReportPrinter printer, ChromiumPdfRenderer chromium, ProcessTreeMemory chromiumMemory)
{
    // Smallest document that still makes the renderer launch the browser and open its first page.
    private const string LaunchHtml = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>launch</p></body></html>";

    public async Task<BenchmarkResult> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var loadBefore = LoadAverage();
        var report = SampleReport.Create(options.Template, options.Issues);
        var template = BuiltInTemplates.Find(options.Template)!.Source;
        var setup = new PdfPageSetup(report.Title);

        var launch = Stopwatch.StartNew();
        await chromium.RenderPdfAsync(LaunchHtml, setup, cancellationToken);
        launch.Stop();

        // Warm-up: JIT, the inlined font CSS, Fluid's member accessors and Chromium's first layout of the fonts.
        var warmUp = await RenderOnceAsync(template, report, setup, cancellationToken);

        var samples = new List<RenderSample>(options.Iterations);
        byte[] lastPdf = warmUp.Pdf;
        for (var i = 0; i < options.Iterations; i++)
        {
            var sample = await RenderOnceAsync(template, report, setup, cancellationToken);
            samples.Add(sample.Timing);
            lastPdf = sample.Pdf;
            chromiumMemory.Sample();
        }

        // Before the renderer is disposed: the Chromium processes must still be alive to be read.
        chromiumMemory.Sample();
        using var self = Process.GetCurrentProcess();
        self.Refresh();

        var (pages, firstKeyFound) = InspectPdf(lastPdf, report);
        return new BenchmarkResult(
            options,
            LaunchMs: launch.Elapsed.TotalMilliseconds,
            WarmUp: warmUp.Timing,
            Samples: samples,
            HtmlChars: warmUp.HtmlChars,
            Parts: warmUp.Parts,
            PdfBytes: lastPdf.Length,
            PdfPages: pages,
            FirstIssueKeyFound: firstKeyFound,
            FirstIssueKey: report.Issues.Count > 0 ? report.Issues[0].Key : null,
            SelfPeakBytes: self.PeakWorkingSet64,
            Chromium: chromiumMemory.Result(),
            LoadAverageBefore: loadBefore,
            LoadAverageAfter: LoadAverage());
    }

    private async Task<(RenderSample Timing, byte[] Pdf, int HtmlChars, int Parts)> RenderOnceAsync(
        TemplateSource template, ReportModel report, PdfPageSetup setup, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var html = await templates.RenderHtmlAsync(template, report, cancellationToken);
        var templateMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        var printed = await printer.PrintAsync(html, outline: true, setup,
            headings => new FinishingPlan(new PdfMetadata(report.Title, null, null, null), headings, [], null, null),
            (_, _) => Task.CompletedTask, cancellationToken);
        var pdfMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        return (new RenderSample(templateMs, pdfMs), printed.Pdf, html.Length, printed.Parts);
    }

    /// <summary>The 1-minute load average from /proc/loadavg, as written there.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static (int Pages, bool FirstIssueKeyFound) InspectPdf(byte[] bytes, ReportModel report)
    {
        if (bytes.Length < 5 || !bytes.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
        {
            throw new InvalidOperationException($"The renderer returned {bytes.Length:N0} bytes that are not a PDF.");
        }

        using var document = PdfDocument.Open(bytes);
        if (document.NumberOfPages < 1)
        {
            throw new InvalidOperationException("The rendered PDF has no pages.");
        }

        // A cheap check that the table really was printed, not an empty or error page.
        var found = report.Issues.Count == 0
            || document.GetPage(1).Text.Contains(report.Issues[0].Key, StringComparison.Ordinal);
        return (document.NumberOfPages, found);
    }
}

/// <summary>Time spent in each stage of one render.</summary>
internal sealed record RenderSample(double TemplateMs, double PdfMs)
{
    public double TotalMs => TemplateMs + PdfMs;
}

internal sealed record BenchmarkResult(
    BenchmarkOptions Options,
    double LaunchMs,
    RenderSample WarmUp,
    IReadOnlyList<RenderSample> Samples,
    int HtmlChars,
    int Parts,
    int PdfBytes,
    int PdfPages,
    bool FirstIssueKeyFound,
    string? FirstIssueKey,
    long SelfPeakBytes,
    ChromiumMemory Chromium,
    string LoadAverageBefore,
    string LoadAverageAfter)
{
    public long CombinedPeakBytes => SelfPeakBytes + Chromium.PeakHwmSumBytes;
}
