using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Mail;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Reports;

/// <summary>A scheduled report's file is ready and its mails queued: in the event log, and sent to the webhook subscriptions that want it.</summary>
public sealed record ReportScheduleCompleted(
    Guid TenantId, Guid ScheduleId, string ScheduleName, Guid RunId, Guid ExportId, DateTimeOffset DueAt, string? FileName, long? SizeBytes,
    int Recipients, string Download, long Sequence);

public static class ReportScheduleEventTypes
{
    public const string Aggregate = "report_schedule";

    /// <summary>The run's file is stored and its mails are queued (their sending shows in the run's status).</summary>
    public const string Completed = "completed";
}

public sealed class ScheduledReportOptions
{
    public const string SectionName = "ReportSchedules";

    /// <summary>The Api's public address, so a mailed link works from a mail client; without it the link is a path.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How often a Worker looks for schedules that are due; a report starts at most this late.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The life of a scheduled report run, each step in the transaction of the change that causes it: a run starts as an
/// export (with its job, through the outbox); the export's completion queues the mails and the webhook event; its failure
/// or cancellation fails the run. The mail consumer counts the mails sent (<see cref="MailSentAsync"/>).
/// </summary>
public sealed class ScheduledReports(
    JiraExportDbContext db, OutboxWriter outbox, ExportEventWriter exportEvents, DomainEventWriter events, MailOutbox mail,
    IOptions<ScheduledReportOptions> options, TimeProvider timeProvider)
{
    /// <summary>The consumer name under which the mail consumer records the report mails it has sent (the inbox).</summary>
    public const string MailConsumerName = "report-mails";

    /// <summary>
    /// When a schedule runs next: its cron's next time, but never sooner than <see cref="ReportSchedule.MinInterval"/> from
    /// now, whatever the cron says (a cron can hide a burst on a day a validation does not look at).
    /// </summary>
    public static DateTimeOffset NextRunAt(ReportSchedule schedule, DateTimeOffset now)
    {
        var next = SyncCron.Next(schedule.Cron, schedule.TimeZone, now) ?? DateTimeOffset.MaxValue;
        return next < now + ReportSchedule.MinInterval ? now + ReportSchedule.MinInterval : next;
    }

    /// <summary>Queues the run of <paramref name="schedule"/> for <paramref name="dueAt"/>; the caller saves and commits.</summary>
    public async Task<ReportScheduleRun> StartAsync(ReportSchedule schedule, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var run = new ReportScheduleRun
        {
            Id = Guid.CreateVersion7(), TenantId = schedule.TenantId, ScheduleId = schedule.Id, DueAt = dueAt, CreatedAt = now,
            Status = ReportRunStatus.Rendering,
        };
        db.ReportScheduleRuns.Add(run);

        // A scheduled report is an export like any other: it counts in the day's exports, and a plan used up fails the run.
        var plan = await db.Tenants.Select(t => t.MaxExportsPerDay).SingleAsync(cancellationToken);
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (await db.CountSinceAsync(dayStart, cancellationToken) >= plan)
        {
            Fail(run, $"The plan allows {plan} exports per day (UTC), and today's are used up; the next run counts again.", now);
            return run;
        }

        // Each run renders the template's latest published version; one deleted since the schedule was made fails the run.
        var errors = new Dictionary<string, string[]>();
        if (await ExportTemplates.ResolveAsync(db, schedule.Template, null, errors, cancellationToken) is not { } template)
        {
            Fail(run, string.Join(" ", errors.Values.SelectMany(e => e)), now);
            return run;
        }

        var export = new Export
        {
            Id = Guid.CreateVersion7(),
            TenantId = schedule.TenantId,
            ConnectionId = schedule.ConnectionId,
            Jql = schedule.Jql,
            Format = "pdf", // scheduled reports are PDFs: the file the tenant's policy signs and watermarks
            Template = template.Name,
            TemplateId = template.TemplateId,
            TemplateVersionId = template.VersionId,
            TemplateVersion = template.Version,
            Title = schedule.Title ?? schedule.Name,
            RequestedBy = $"Schedule \"{schedule.Name}\"",
            CreatedAt = now,
            ScheduleRunId = run.Id,
        };
        run.ExportId = export.Id;
        db.Exports.Add(export);
        outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.ExportJobsRoutingKey, new ExportRequested(export.TenantId, export.Id));
        await exportEvents.AppendAsync(export, ExportEventTypes.Progress, "Queued", cancellationToken);
        return run;
    }

    /// <summary>In the completion's transaction: a mail per recipient (the file attached or linked), and the webhook event.</summary>
    public async Task DeliverAsync(Export export, CancellationToken cancellationToken)
    {
        if (export.ScheduleRunId is not { } runId
            || await db.ReportScheduleRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken) is not { Status: ReportRunStatus.Rendering } run
            || await db.ReportSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == run.ScheduleId, cancellationToken) is not { } schedule)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var download = $"{options.Value.PublicBaseUrl?.ToString().TrimEnd('/')}/api/v1/exports/{export.Id}/file";
        foreach (var recipient in schedule.Recipients)
        {
            mail.Enqueue(ScheduledReportMails.Report(recipient, schedule, export, download) with
            {
                Report = new MailedReport(export.TenantId, run.Id, schedule.AttachFile ? export.Id : null),
            });
        }

        run.MailsQueued = schedule.Recipients.Count;
        run.Status = schedule.Recipients.Count == 0 ? ReportRunStatus.Delivered : ReportRunStatus.Delivering;
        run.CompletedAt = schedule.Recipients.Count == 0 ? now : null;
        if (schedule.NotifyWebhooks)
        {
            await events.AppendAsync(
                new EventSubject(export.TenantId, ReportScheduleEventTypes.Aggregate, schedule.Id, export.ConnectionId, export.Template, JqlProjects.Named(export.Jql)),
                ReportScheduleEventTypes.Completed,
                sequence => new ReportScheduleCompleted(export.TenantId, schedule.Id, schedule.Name, run.Id, export.Id, run.DueAt, export.FileName, export.SizeBytes,
                    schedule.Recipients.Count, download, sequence),
                cancellationToken);
        }
    }

    /// <summary>In the transaction that failed or cancelled the export: the run failed, with why.</summary>
    public async Task ExportEndedWithoutFileAsync(Export export, string reason, CancellationToken cancellationToken)
    {
        if (export.ScheduleRunId is { } runId && await db.ReportScheduleRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken) is { } run)
        {
            Fail(run, reason, timeProvider.GetUtcNow());
        }
    }

    /// <summary>A mail of the run reached the mail server: the run is delivered when all have. Counted once per mail (the caller's inbox).</summary>
    public Task MailSentAsync(Guid runId, CancellationToken cancellationToken) => db.Database.ExecuteSqlAsync($"""
        UPDATE report_schedule_runs SET mails_sent = least(mails_sent + 1, mails_queued),
            status = CASE WHEN mails_sent + 1 >= mails_queued THEN {nameof(ReportRunStatus.Delivered)} ELSE status END,
            completed_at = CASE WHEN mails_sent + 1 >= mails_queued THEN {timeProvider.GetUtcNow()} ELSE completed_at END
        WHERE id = {runId} AND status = {nameof(ReportRunStatus.Delivering)}
        """, cancellationToken);

    /// <summary>A mail of the run was given up after its retries: the run failed, and says to whom.</summary>
    public Task MailGivenUpAsync(Guid runId, string recipient, string reason, CancellationToken cancellationToken) => db.Database.ExecuteSqlAsync($"""
        UPDATE report_schedule_runs SET status = {nameof(ReportRunStatus.Failed)}, completed_at = {timeProvider.GetUtcNow()},
            error = left({$"The mail to {recipient} was not sent: {reason}"}, 2000)
        WHERE id = {runId} AND status <> {nameof(ReportRunStatus.Failed)}
        """, cancellationToken);

    private static void Fail(ReportScheduleRun run, string reason, DateTimeOffset now)
    {
        run.Status = ReportRunStatus.Failed;
        run.Error = reason.Length > 2000 ? reason[..2000] : reason;
        run.CompletedAt = now;
    }
}
