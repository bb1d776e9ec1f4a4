namespace JiraExport.Realtime.Hubs;

/// <summary>What a client receives; <paramref name="Sequence"/> lets it notice a gap and resume from the event log.</summary>
public sealed record ExportNotification(
    Guid ExportId, string Status, int Progress, string? Message, long Sequence, int? IssueCount, string? FileName, long? SizeBytes);

/// <summary>What a client receives about a sync run of its tenant (on the tenant group).</summary>
public sealed record SyncNotification(
    Guid JobId, Guid ConnectionId, string Status, int Progress, int IssuesSeen, int IssuesWritten, int Deleted, string? Error, long Sequence);

/// <summary>An issue changed or deleted in Jira (on the tenant's, the project's and the issue's groups).</summary>
public sealed record IssueNotification(
    Guid ConnectionId, long IssueId, string Key, string ProjectKey, string? Summary, DateTimeOffset? Updated, string JiraEvent, long Sequence);

/// <summary>A connection's health changed (on the tenant group): <paramref name="From"/> and <paramref name="To"/> are healthy, degraded or down.</summary>
public sealed record ConnectionHealthNotification(Guid ConnectionId, string From, string To, long Sequence);

/// <summary>
/// Someone exports projects a client follows (on those projects' groups): each state change of the export, until it is
/// succeeded, failed or cancelled. Who asked is not said: the event log and webhooks carry the same data.
/// </summary>
public sealed record ProjectExportNotification(
    Guid ExportId, Guid ConnectionId, IReadOnlyList<string> ProjectKeys, string Status, int Progress, long Sequence);
