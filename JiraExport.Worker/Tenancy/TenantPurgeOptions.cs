using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Tenancy;

/// <summary>How often the Worker looks for tenants whose deletion grace period has passed ("TenantPurge" section).</summary>
public sealed class TenantPurgeOptions
{
    public const string SectionName = "TenantPurge";

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);
}
