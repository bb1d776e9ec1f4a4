namespace JiraExport.Core.Domain;

/// <summary>
/// One status change of a synced issue, derived from its changelog: the input of cycle-time analytics. Statuses are
/// kept by id and category as well as name, since names are renamed and translated.
/// </summary>
public sealed class IssueStatusTransition
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public long IssueId { get; set; }

    /// <summary>Jira's changelog entry id; one entry changes the status at most once.</summary>
    public required string HistoryId { get; set; }
    public DateTimeOffset At { get; set; }
    public string? FromStatusId { get; set; }
    public string? FromStatus { get; set; }
    public string? ToStatusId { get; set; }
    public string? ToStatus { get; set; }
    public string? AuthorAccountId { get; set; }
    public string? AuthorName { get; set; }
}
