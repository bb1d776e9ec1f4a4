using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Contracts;

/// <summary>
/// A report that runs by itself: the <paramref name="Template"/> over the issues <paramref name="Jql"/> matches, at each
/// <paramref name="Cron"/> time in <paramref name="TimeZone"/> (the tenant's calendar zone if left out), mailed to the
/// <paramref name="Recipients"/> (attached when <paramref name="AttachFile"/>, else linked) and, with
/// <paramref name="NotifyWebhooks"/>, announced as <c>report_schedule.completed</c> to the webhook subscriptions when its file is ready.
/// </summary>
public sealed record CreateReportScheduleRequest(
    string? Name, Guid? ConnectionId, string? Template, string? Jql, string? Title, string? Cron, string? TimeZone, IReadOnlyList<string>? Recipients,
    bool AttachFile, bool NotifyWebhooks) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        ReportScheduleValidation.Validate(this).AsValidationResults();
}

/// <summary>
/// A change to a schedule: only the fields sent change (its connection stays). <c>paused</c> stops the runs by itself;
/// resumed, or with a new <c>cron</c> or <c>timeZone</c>, it next runs at the cron's next time from now. An empty
/// <c>title</c> removes it.
/// </summary>
public sealed record UpdateReportScheduleRequest(
    string? Name, string? Template, string? Jql, string? Title, string? Cron, string? TimeZone, IReadOnlyList<string>? Recipients,
    bool? AttachFile, bool? NotifyWebhooks, bool? Paused);

public sealed record ReportScheduleResponse(
    Guid Id, string Name, Guid ConnectionId, string Template, string Jql, string? Title, string Cron, string TimeZone, IReadOnlyList<string> Recipients,
    bool AttachFile, bool NotifyWebhooks, bool Paused, DateTimeOffset NextRunAt, string? CreatedBy, DateTimeOffset CreatedAt)
{
    public static ReportScheduleResponse Of(ReportSchedule s) => new(
        s.Id, s.Name, s.ConnectionId, s.Template, s.Jql, s.Title, s.Cron, s.TimeZone, s.Recipients, s.AttachFile, s.NotifyWebhooks, s.Paused, s.NextRunAt,
        s.CreatedBy, s.CreatedAt);
}

/// <summary>
/// One run: <c>rendering</c> (its export, <paramref name="ExportId"/>, is queued or running), <c>delivering</c> (the
/// mails are queued), <c>delivered</c> (all sent) or <c>failed</c> (<paramref name="Error"/> says why).
/// </summary>
public sealed record ReportScheduleRunResponse(
    Guid Id, Guid ScheduleId, DateTimeOffset DueAt, Guid? ExportId, string Status, int MailsQueued, int MailsSent, string? Error, DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static ReportScheduleRunResponse Of(ReportScheduleRun r) => new(
        r.Id, r.ScheduleId, r.DueAt, r.ExportId, r.Status.ToString().ToLowerInvariant(), r.MailsQueued, r.MailsSent, r.Error, r.CreatedAt, r.CompletedAt);
}
