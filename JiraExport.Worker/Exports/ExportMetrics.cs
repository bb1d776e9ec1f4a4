using System.Diagnostics.Metrics;
using JiraExport.ServiceDefaults;

namespace JiraExport.Worker.Exports;

/// <summary>Business meters of export jobs: how many finish (by status) and how long reading and rendering take.</summary>
public sealed class ExportMetrics
{
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _fetchDuration;
    private readonly Histogram<double> _renderDuration;
    private readonly Histogram<long> _issues;

    public ExportMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Exports);
        _finished = meter.CreateCounter<long>("jiraexport.exports.finished", unit: "{export}", description: "Exports that reached a final state.");
        _fetchDuration = meter.CreateHistogram<double>("jiraexport.export.fetch.duration", unit: "s", description: "Time to read an export's issues from Jira.");
        _renderDuration = meter.CreateHistogram<double>("jiraexport.export.render.duration", unit: "s", description: "Time to render an export's PDF.");
        _issues = meter.CreateHistogram<long>("jiraexport.export.issues", unit: "{issue}", description: "Issues per finished export.");
    }

    public void Fetched(TimeSpan elapsed) => _fetchDuration.Record(elapsed.TotalSeconds);

    public void Rendered(TimeSpan elapsed) => _renderDuration.Record(elapsed.TotalSeconds);

    public void Succeeded(int issueCount)
    {
        _finished.Add(1, new KeyValuePair<string, object?>("status", "succeeded"));
        _issues.Record(issueCount);
    }

    public void Failed() => _finished.Add(1, new KeyValuePair<string, object?>("status", "failed"));
}
