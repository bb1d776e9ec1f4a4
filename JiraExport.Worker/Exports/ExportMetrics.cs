using System.Diagnostics.Metrics;
using JiraExport.ServiceDefaults;

namespace JiraExport.Worker.Exports;

/// <summary>
/// Business meters of export jobs: how many finish, by format and outcome; the PDF pages rendered; how long reading and
/// rendering take. Formats are the closed set the Api accepts, so the labels stay few.
/// </summary>
public sealed class ExportMetrics
{
    private readonly Counter<long> _finished;
    private readonly Counter<long> _pages;
    private readonly Histogram<double> _fetchDuration;
    private readonly Histogram<double> _renderDuration;
    private readonly Histogram<long> _issues;

    public ExportMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Exports);
        _finished = meter.CreateCounter<long>("jiraexport.exports.finished", unit: "{export}", description: "Exports that reached a final state, by format and status.");
        _pages = meter.CreateCounter<long>("jiraexport.export.pages", unit: "{page}", description: "PDF pages rendered by finished exports.");
        _fetchDuration = meter.CreateHistogram<double>("jiraexport.export.fetch.duration", unit: "s", description: "Time to read an export's issues from Jira.");
        _renderDuration = meter.CreateHistogram<double>("jiraexport.export.render.duration", unit: "s", description: "Time to render an export's PDF.");
        _issues = meter.CreateHistogram<long>("jiraexport.export.issues", unit: "{issue}", description: "Issues per finished export.");
    }

    public void Fetched(TimeSpan elapsed) => _fetchDuration.Record(elapsed.TotalSeconds);

    public void Rendered(TimeSpan elapsed) => _renderDuration.Record(elapsed.TotalSeconds);

    public void Succeeded(string format, int issueCount, int pages)
    {
        _finished.Add(1, Status("succeeded"), Format(format));
        _issues.Record(issueCount, Format(format));
        if (pages > 0)
        {
            _pages.Add(pages, Format(format));
        }
    }

    public void Failed(string format) => _finished.Add(1, Status("failed"), Format(format));

    private static KeyValuePair<string, object?> Status(string status) => new("status", status);

    private static KeyValuePair<string, object?> Format(string format) => new("format", format);
}
