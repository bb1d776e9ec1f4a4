using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Events;

/// <summary>How long the tenants' event log keeps an event, and how often the Worker prunes it ("EventLog" section).</summary>
public sealed class EventLogOptions
{
    public const string SectionName = "EventLog";

    /// <summary>An event older than this is pruned: a client further behind re-reads state over REST.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tenants pruned per round at most; the next round takes the rest.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
