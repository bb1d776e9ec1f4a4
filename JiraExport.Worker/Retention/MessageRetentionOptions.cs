using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Retention;

/// <summary>How long the messaging tables keep what they no longer need, and how often the Worker prunes them ("MessageRetention" section).</summary>
public sealed class MessageRetentionOptions
{
    public const string SectionName = "MessageRetention";

    /// <summary>
    /// A sent outbox message, and a consumer's record of a message it handled, are deleted this long after. A message
    /// can come again only while a relay or a queue retries it (minutes), so a week is a wide margin for the inbox's
    /// "handled once" check.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per table per statement; a round repeats it until none are left, so no statement holds locks long.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 10_000;
}
