using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Operations;

/// <summary>How often the Worker reads the platform's state for its gauges ("OperationsMetrics" section).</summary>
public sealed class OperationsMetricsOptions
{
    public const string SectionName = "OperationsMetrics";

    /// <summary>A Prometheus scrape every 15 s sees a reading at most this old.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);
}
