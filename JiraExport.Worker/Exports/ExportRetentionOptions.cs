using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Exports;

/// <summary>How often the Worker deletes export files past their tenant's retention ("ExportRetention" section).</summary>
public sealed class ExportRetentionOptions
{
    public const string SectionName = "ExportRetention";

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Files deleted per round at most; the next round takes the rest.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
