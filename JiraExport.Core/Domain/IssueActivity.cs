namespace JiraExport.Core.Domain;

/// <summary>A comment of a synced issue; its body kept as sanitized HTML and as plain text (from ADF or wiki markup).</summary>
public sealed class IssueComment
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long IssueId { get; set; }
    public required string CommentId { get; set; }
    public string? AuthorAccountId { get; set; }
    public string? AuthorName { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset? Updated { get; set; }
    public required string BodyHtml { get; set; }
    public required string BodyText { get; set; }
}

/// <summary>Time logged on a synced issue.</summary>
public sealed class IssueWorklog
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long IssueId { get; set; }
    public required string WorklogId { get; set; }
    public string? AuthorAccountId { get; set; }
    public string? AuthorName { get; set; }
    public DateTimeOffset Started { get; set; }
    public int TimeSpentSeconds { get; set; }
    public string? CommentText { get; set; }
}

/// <summary>A sprint a synced issue has been in (Jira's Sprint field), shared by the connection's issues.</summary>
public sealed class SyncedSprint
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long SprintId { get; set; }
    public long? BoardId { get; set; }
    public required string Name { get; set; }

    /// <summary><c>future</c>, <c>active</c> or <c>closed</c>.</summary>
    public required string State { get; set; }
    public DateTimeOffset? StartDate { get; set; }
    public DateTimeOffset? EndDate { get; set; }
    public DateTimeOffset? CompleteDate { get; set; }
    public string? Goal { get; set; }
}

/// <summary>An issue's membership of a sprint: the input of committed-vs-done and carry-over reports.</summary>
public sealed class SprintIssue
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long SprintId { get; set; }
    public long IssueId { get; set; }
}

/// <summary>A link from a synced issue to another, as seen from this issue (e.g. "blocks" or "is blocked by").</summary>
public sealed class IssueLink
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long IssueId { get; set; }
    public required string LinkId { get; set; }
    public required string LinkType { get; set; }
    public required string Relation { get; set; }
    public long OtherIssueId { get; set; }
    public required string OtherKey { get; set; }
}
