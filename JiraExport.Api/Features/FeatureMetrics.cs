using System.Diagnostics.Metrics;
using JiraExport.ServiceDefaults;

namespace JiraExport.Api.Features;

/// <summary>Each variant given, by feature and why (<c>allocation</c> or <c>override</c>): an experiment's arms, counted.</summary>
public sealed class FeatureMetrics
{
    private readonly Counter<long> _assignments;

    public FeatureMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Features);
        _assignments = meter.CreateCounter<long>("jiraexport.feature.assignments", description: "Feature variants given, by feature, variant and reason");
    }

    public void Assigned(string feature, string variant, string reason) => _assignments.Add(1,
        new KeyValuePair<string, object?>("feature", feature),
        new KeyValuePair<string, object?>("variant", variant),
        new KeyValuePair<string, object?>("reason", reason));
}
