using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace JiraExport.Benchmarks;

/// <summary>Prints a <see cref="BenchmarkResult"/> as a plain-text table, with the targets beside the figures.</summary>
internal static class ResultTable
{
    public const double TargetPdfMs = 3_000;
    public const long TargetMemoryBytes = 700_000_000;
    private const int TargetIssues = 1_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchmarkResult result, string chromiumPath)
    {
        var options = result.Options;
        output.WriteLine();
        output.WriteLine("JiraExport rendering benchmark: ReportTemplateEngine + ReportPrinter (Chromium, parts, PDF finishing), as an export runs them");
        output.WriteLine($"  Report    built-in {options.Template}, {Count(options.Issues)} issues, English/Russian summaries, emoji, Latin/Cyrillic assignees, A4 portrait");
        output.WriteLine($"  Printed   in {result.Parts} part(s), outline on");
        output.WriteLine($"  Runs      {Count(options.Iterations)} measured after 1 warm-up; Chromium {chromiumPath}; "
            + $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {Environment.ProcessorCount} CPUs");
        output.WriteLine($"  Load      1-minute load average {result.LoadAverageBefore} before, {result.LoadAverageAfter} after"
            + " (other work on the machine slows the renders)");
        output.WriteLine();

        output.WriteLine($"  {"Browser launch (first page, tiny document)",-44}{Ms(result.LaunchMs),10} ms");
        output.WriteLine($"  {"Warm-up render, not counted: template",-44}{Ms(result.WarmUp.TemplateMs),10} ms");
        output.WriteLine($"  {"                             PDF",-44}{Ms(result.WarmUp.PdfMs),10} ms");
        output.WriteLine();

        output.WriteLine($"  {"Per render (ms)",-24}{"min",9}{"median",9}{"p95",9}{"max",9}");
        WriteStatsRow(output, "Template (Liquid)", result.Samples.Select(s => s.TemplateMs));
        WriteStatsRow(output, "PDF (print + finish)", result.Samples.Select(s => s.PdfMs));
        WriteStatsRow(output, "Total (template + PDF)", result.Samples.Select(s => s.TotalMs));
        output.WriteLine();

        output.WriteLine($"  {"HTML",-24}{Count(result.HtmlChars),14} chars");
        output.WriteLine($"  {"PDF size",-24}{Count(result.PdfBytes),14} bytes ({(result.PdfBytes / 1_000_000d).ToString("N2", Invariant)} MB)");
        output.WriteLine($"  {"PDF pages (PdfPig)",-24}{Count(result.PdfPages),14}"
            + (result.FirstIssueKey is null ? "" : $"   page 1 shows {result.FirstIssueKey}: {(result.FirstIssueKeyFound ? "yes" : "NO")}"));
        output.WriteLine();

        var chromium = result.Chromium;
        output.WriteLine($"  {"Peak memory",-44}{"MB",10}");
        output.WriteLine($"  {"This process (PeakWorkingSet64)",-44}{Mb(result.SelfPeakBytes),10}");
        output.WriteLine($"  {$"Chromium, {chromium.ProcessesAtPeak.Count} processes (sum of VmHWM)",-44}{Mb(chromium.PeakHwmSumBytes),10}");
        foreach (var process in chromium.ProcessesAtPeak)
        {
            output.WriteLine($"  {$"  {process.Role}",-44}{Mb(process.HwmBytes),10}");
        }

        output.WriteLine($"  {"Combined",-44}{Mb(result.CombinedPeakBytes),10}");
        output.WriteLine($"  {"For comparison: Chromium, sum of VmRSS",-44}{Mb(chromium.PeakRssSumBytes),10}");
        output.WriteLine($"  {"For comparison: all processes, sum of PSS",-44}{Mb(chromium.PeakTreePssBytes),10}");
        output.WriteLine();

        var p95 = Percentile(result.Samples.Select(s => s.TotalMs), 0.95);
        var timeVerdict = options.Issues == TargetIssues && options.Template == BenchmarkOptions.DefaultTemplate
            ? Verdict(p95 <= TargetPdfMs)
            : "n/a (target is for a 1,000-issue issue-list)";
        output.WriteLine("  target ≤ 3,000 ms per 1,000-issue PDF; ≤ 700 MB peak Worker memory");
        output.WriteLine($"  {"Target",-44}{"Figure",13}  Verdict");
        output.WriteLine($"  {"≤ 3,000 ms per 1,000-issue PDF (p95 total)",-44}{Ms(p95),10} ms  {timeVerdict}");
        output.WriteLine($"  {"≤ 700 MB peak Worker memory (combined)",-44}{Mb(result.CombinedPeakBytes),10} MB  {Verdict(result.CombinedPeakBytes <= TargetMemoryBytes)}");
        output.WriteLine();
        output.WriteLine("  Notes: the launch includes opening the first page. p95 is nearest-rank: with fewer than 20 runs it is the max.");
        output.WriteLine("  MB = 1,000,000 bytes. Chromium is sampled every 200 ms (PSS every 1 s): the descendants of this process");
        output.WriteLine($"  alive at the same moment, listed for the sample with the highest sum ({chromium.ProcessesSeen} processes seen over the run;");
        output.WriteLine("  the renderer is replaced between large renders). Adding each process's own peak counts shared pages more");
        output.WriteLine("  than once, so that figure is an upper bound; PSS splits shared pages and is the closer one. This process");
        output.WriteLine("  holds only the renderers, not the rest of the Worker (host, EF Core, RabbitMQ).");
    }

    /// <summary>Nearest-rank percentile: the smallest sample with at least <paramref name="fraction"/> of samples at or below it.</summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static void WriteStatsRow(TextWriter output, string label, IEnumerable<double> values)
    {
        var list = values.ToArray();
        output.WriteLine($"  {label,-24}{Ms(list.Min()),9}{Ms(Median(list)),9}{Ms(Percentile(list, 0.95)),9}{Ms(list.Max()),9}");
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Verdict(bool met) => met ? "PASS" : "MISS";

    private static string Ms(double milliseconds) => milliseconds.ToString("N0", Invariant);

    private static string Mb(long bytes) => (bytes / 1_000_000d).ToString("N1", Invariant);

    private static string Count(long value) => value.ToString("N0", Invariant);
}
