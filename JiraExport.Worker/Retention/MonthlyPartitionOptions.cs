using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Retention;

/// <summary>How often the Worker makes the coming months' partitions of the event log and the audit trail ("Partitions" section).</summary>
public sealed class MonthlyPartitionOptions
{
    public const string SectionName = "Partitions";

    /// <summary>Three months are made ahead, so a round a day is plenty; a few a day survive a Worker that restarts often.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}
