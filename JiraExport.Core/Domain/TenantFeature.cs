namespace JiraExport.Core.Domain;

/// <summary>A feature's variant forced for one tenant by the platform operator, over the rollout's allocation.</summary>
public sealed class TenantFeatureOverride
{
    public Guid TenantId { get; set; }
    public required string Feature { get; set; }
    public required string Variant { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

/// <summary>
/// The variant a caller (a member or an API key) of a tenant was last given of a feature: an experiment's assignment,
/// kept so its arms can be counted and compared.
/// </summary>
public sealed class FeatureAssignment
{
    public Guid TenantId { get; set; }

    /// <summary><c>user:{id}</c> or <c>api-key:{id}</c>.</summary>
    public required string Subject { get; set; }

    public required string Feature { get; set; }
    public required string Variant { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
}
