namespace JiraExport.Worker.ReportSchedules;

public sealed class ReportScheduleOptions
{
    public const string SectionName = "ReportSchedules";

    /// <summary>How often a Worker looks for schedules that are due; a report starts at most this late.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(15);
}
