namespace JiraExport.Core.Domain;

/// <summary>
/// An issue Jira confirmed deleted. Jira never reuses an issue id, so no later write may bring it back: a change or a sync
/// page read from Jira just before the deletion, and written just after it, would otherwise store the issue again.
/// Kept as long as the event log keeps the <c>issue.deleted</c> event (no delivery or sync page is older than that).
/// </summary>
public sealed class JiraIssueTombstone
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long IssueId { get; set; }
    public DateTimeOffset DeletedAt { get; set; }
}
