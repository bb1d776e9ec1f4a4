namespace JiraExport.Core.Domain;

/// <summary>
/// The stored copy of one Jira issue of a connection: typed columns for what the API filters and sorts on, the rest
/// of Jira's fields as <c>jsonb</c>. Keyed by Jira's issue id, which survives a move to another project (the key does not).
/// </summary>
public sealed class SyncedIssue
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long IssueId { get; set; }
    public required string Key { get; set; }
    public required string ProjectKey { get; set; }
    public required string Summary { get; set; }
    public string? IssueType { get; set; }
    public string? StatusId { get; set; }
    public string? StatusName { get; set; }

    /// <summary>Jira's status category key: <c>new</c>, <c>indeterminate</c> or <c>done</c>.</summary>
    public string? StatusCategory { get; set; }
    public string? Priority { get; set; }
    public string? AssigneeAccountId { get; set; }
    public string? AssigneeName { get; set; }
    public DateTimeOffset? Created { get; set; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>The description as sanitized HTML and as plain text, whether Jira sent ADF (Cloud v3) or wiki markup.</summary>
    public string? DescriptionHtml { get; set; }
    public string? DescriptionText { get; set; }

    /// <summary>Jira's <c>fields</c> object as it came, custom fields included.</summary>
    public required string Fields { get; set; }

    /// <summary>Every changelog entry, oldest first, as Jira's <c>Changelog</c> objects.</summary>
    public required string Changelog { get; set; }

    /// <summary>How many times a sync wrote this row: replays and overlaps leave it alone, so it tells double work apart.</summary>
    public int SyncRevision { get; set; }

    /// <summary>The last full sync whose walk saw this issue; a finished walk deletes the rows it did not see.</summary>
    public Guid? LastSeenJobId { get; set; }
    public DateTimeOffset SyncedAt { get; set; }
}
