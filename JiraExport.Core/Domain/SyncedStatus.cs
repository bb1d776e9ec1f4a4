namespace JiraExport.Core.Domain;

/// <summary>
/// A status of a connection's Jira site and its category, as <c>GET /status</c> last said: transitions carry status ids,
/// and flow metrics need the category of statuses no issue is in any more.
/// </summary>
public sealed class SyncedStatus
{
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public required string StatusId { get; set; }
    public required string Name { get; set; }

    /// <summary>Jira's status category key: <c>new</c>, <c>indeterminate</c> or <c>done</c>.</summary>
    public string? Category { get; set; }
    public DateTimeOffset SyncedAt { get; set; }
}
