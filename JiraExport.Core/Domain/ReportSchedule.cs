namespace JiraExport.Core.Domain;

/// <summary>
/// A report that runs by itself: at each <see cref="Cron"/> time (read in <see cref="TimeZone"/>) the template renders
/// the issues <see cref="Jql"/> matches, finished by the tenant's PDF policy, and the file goes to the recipients by mail
/// (attached or linked) and, if asked, to the tenant's webhook subscriptions.
/// </summary>
public sealed class ReportSchedule
{
    public const int MaxRecipients = 20;

    /// <summary>The shortest time between two runs: a report is read by people, and each run renders a PDF and sends mail.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(15);

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public Guid ConnectionId { get; set; }

    /// <summary>A built-in template's name or a tenant template's; each run renders its latest published version.</summary>
    public required string Template { get; set; }
    public required string Jql { get; set; }
    public string? Title { get; set; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public List<string> Recipients { get; set; } = [];

    /// <summary>Attach the file to the mail; otherwise the mail links to it (a signed-in recipient downloads it).</summary>
    public bool AttachFile { get; set; }

    /// <summary>Also announce each report to the tenant's webhook subscriptions (<c>report_schedule.completed</c>) when its file is ready.</summary>
    public bool NotifyWebhooks { get; set; }

    /// <summary>A paused schedule does not run by itself (a run by hand still does); resumed, it runs at its next time from then.</summary>
    public bool Paused { get; set; }
    public DateTimeOffset NextRunAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum ReportRunStatus
{
    /// <summary>The export is queued or rendering.</summary>
    Rendering,

    /// <summary>The file is stored and its mails are queued.</summary>
    Delivering,

    /// <summary>Every mail was handed to the mail server.</summary>
    Delivered,

    /// <summary>The export failed, or a mail was given up after its retries; <see cref="ReportScheduleRun.Error"/> says why.</summary>
    Failed,
}

/// <summary>One run of a schedule: one per due time however many Workers there are (a unique key says so).</summary>
public sealed class ReportScheduleRun
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ScheduleId { get; set; }

    /// <summary>The occurrence this run is for; a run asked for by hand has its request time.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>The export that renders the report; null when the run could not start (its template is gone).</summary>
    public Guid? ExportId { get; set; }
    public ReportRunStatus Status { get; set; }
    public int MailsQueued { get; set; }
    public int MailsSent { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
