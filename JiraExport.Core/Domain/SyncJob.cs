namespace JiraExport.Core.Domain;

public enum SyncJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

public enum SyncMode
{
    Full,
    Incremental,
}

/// <summary>
/// One sync run of a connection, and its checkpoint: <see cref="Cursor"/> names the next search page, written in the
/// same transaction as the page before it, so a Worker that dies resumes there. A lease (owner + expiry, renewed each
/// page) keeps one Worker on it; a dead Worker's lease runs out and another takes the run over.
/// </summary>
public sealed class SyncJob
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public SyncMode Mode { get; set; }

    /// <summary>The scope as JQL without ordering: the projects or the JQL the run was asked for.</summary>
    public required string ScopeJql { get; set; }
    public SyncJobStatus Status { get; set; }
    public int Progress { get; set; }
    public int? IssuesExpected { get; set; }
    public int IssuesSeen { get; set; }
    public int IssuesWritten { get; set; }
    public int Deleted { get; set; }

    /// <summary>
    /// Issues a full run would have removed (gone from Jira, or outside the connection's scope) but did not, because they
    /// were too many at once: a site that lost a permission, archived a project by mistake or has a broken search index
    /// looks the same as one that deleted them. A person confirms.
    /// </summary>
    public long[]? HeldDeletions { get; set; }

    /// <summary>Stored issues a full run of the connection's own scope found outside it (still in Jira): removed from the store.</summary>
    public int LeftScope { get; set; }
    public int Pages { get; set; }

    /// <summary>Where the walk goes on: Cloud's <c>nextPageToken</c>, or Data Center's <c>startAt</c>. Null before the first page.</summary>
    public string? Cursor { get; set; }

    /// <summary>When the walk began; after a successful run it becomes the connection's watermark.</summary>
    public DateTimeOffset? WalkStartedAt { get; set; }

    /// <summary>For an incremental run, the watermark it read changes from (overlap already taken off).</summary>
    public DateTimeOffset? ChangedSince { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}
