namespace JiraExport.Core.Domain;

/// <summary>
/// When a connection syncs by itself: <see cref="Cron"/> runs incremental syncs, the optional
/// <see cref="ReconcileCron"/> full ones (the walk that finds deletions), both read in <see cref="TimeZone"/>.
/// </summary>
public sealed class SyncSchedule
{
    public Guid ConnectionId { get; set; }
    public Guid TenantId { get; set; }
    public required string Cron { get; set; }
    public string? ReconcileCron { get; set; }
    public required string TimeZone { get; set; }

    /// <summary>The scope as JQL, as for a sync request.</summary>
    public required string ScopeJql { get; set; }
    public DateTimeOffset NextRunAt { get; set; }
    public DateTimeOffset? NextReconcileAt { get; set; }
    public Guid? LastJobId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
