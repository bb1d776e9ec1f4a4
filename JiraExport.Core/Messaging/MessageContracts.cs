namespace JiraExport.Core.Messaging;

/// <summary>Work item: render export <paramref name="ExportId"/> of <paramref name="TenantId"/>.</summary>
public sealed record ExportRequested(Guid TenantId, Guid ExportId);

/// <summary>
/// Work item for bulk export <paramref name="ExportId"/> (the parent): <see cref="BulkSteps.Plan"/> its parts,
/// take note that a part finished (<see cref="BulkSteps.PartFinished"/>), or <see cref="BulkSteps.Package"/> the result.
/// </summary>
public sealed record BulkExportStep(Guid TenantId, Guid ExportId, string Step);

public static class BulkSteps
{
    public const string Plan = "plan";
    public const string PartFinished = "part-finished";
    public const string Package = "package";
}

/// <summary>Work item: send a mail; <paramref name="ProtectedMail"/> is an <c>OutgoingMail</c> encrypted with Data Protection.</summary>
public sealed record MailRequested(string ProtectedMail);

/// <summary>Work item: apply Jira webhook delivery <paramref name="DeliveryId"/>, stored when it arrived.</summary>
public sealed record JiraWebhookReceived(Guid TenantId, Guid ConnectionId, Guid DeliveryId);

/// <summary>Work item: run sync job <paramref name="JobId"/> of <paramref name="TenantId"/>.</summary>
public sealed record SyncRequested(Guid TenantId, Guid JobId);

/// <summary>
/// What Realtime pushes to clients. <paramref name="Sequence"/> is the tenant's domain-event sequence, so a
/// client can tell it missed something and re-read over REST. <paramref name="ProjectKeys"/> are the projects the export's
/// JQL names (<see cref="Jira.JqlProjects"/>), so the people watching them hear that someone exports them.
/// </summary>
public sealed record ExportEvent(
    Guid TenantId,
    Guid ExportId,
    long Sequence,
    string Status,
    int Progress,
    string? Message,
    int? IssueCount,
    string? FileName,
    long? SizeBytes,
    Guid? ConnectionId = null,
    IReadOnlyList<string>? ProjectKeys = null);

public static class ExportEventTypes
{
    public const string Aggregate = "export";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>A sync run's progress or end, pushed to the tenant's clients; <paramref name="Sequence"/> as for exports.</summary>
public sealed record SyncEvent(
    Guid TenantId,
    Guid JobId,
    Guid ConnectionId,
    long Sequence,
    string Status,
    int Progress,
    int IssuesSeen,
    int IssuesWritten,
    int Deleted,
    string? Error,
    int DeletionsHeld = 0);

public static class SyncEventTypes
{
    public const string Aggregate = "sync";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// An issue of a connection changed in Jira (applied from Jira's webhook, as Jira has it now) or was deleted there.
/// <paramref name="JiraEvent"/> is the <c>webhookEvent</c> that told us, such as <c>comment_created</c>.
/// </summary>
public sealed record IssueEvent(
    Guid TenantId,
    Guid ConnectionId,
    long Sequence,
    long IssueId,
    string Key,
    string ProjectKey,
    string? Summary,
    DateTimeOffset? Updated,
    string JiraEvent);

/// <summary>Issue events' aggregate is the connection: an issue's own id is Jira's number, unique only within its site.</summary>
public static class IssueEventTypes
{
    public const string Aggregate = "issue";
    public const string Changed = "changed";
    public const string Deleted = "deleted";
}

/// <summary>
/// Usage for an external billing system, on <c>jx.events</c> as <c>{tenantId:N}.usage.recorded</c> and kept in the
/// <c>jx.usage</c> queue. <paramref name="Kind"/> is one of <see cref="UsageKinds"/>; <paramref name="Quantity"/> counts
/// that kind (exports: 1 with <paramref name="Pages"/> and <paramref name="Bytes"/>; API requests: how many since the
/// last event; sync runs: 1 per run queued, with the run's id in <paramref name="ExportId"/>'s place left empty). Delivered at least once: de-duplicate by the message id.
/// </summary>
public sealed record UsageRecorded(
    Guid TenantId, DateOnly Day, string Kind, long Quantity, int? Pages, long? Bytes, Guid? ExportId, DateTimeOffset OccurredAt);

public static class UsageKinds
{
    public const string Aggregate = "usage";
    public const string Recorded = "recorded";
    public const string Export = "export";
    public const string ApiRequests = "api-requests";
    public const string SyncRun = "sync-run";
    public const string Preview = "preview";
}
