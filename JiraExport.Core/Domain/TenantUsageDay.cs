namespace JiraExport.Core.Domain;

/// <summary>What a tenant used on one UTC day; rows only grow, by atomic upserts, so concurrent writers never lose counts.</summary>
public sealed class TenantUsageDay
{
    public Guid TenantId { get; set; }
    public DateOnly Day { get; set; }
    public long ApiRequests { get; set; }
    public int Exports { get; set; }
    public int RenderedPages { get; set; }
    public long StoredBytes { get; set; }
    public int SyncRuns { get; set; }

    /// <summary>Template previews requested: rendered like exports, never stored, limited per day like them.</summary>
    public int Previews { get; set; }
}
