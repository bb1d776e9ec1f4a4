namespace JiraExport.Api.Contracts;

/// <summary>
/// A feature as one tenant has it: its <paramref name="Variants"/>, the variant the operator forced for the tenant
/// (<paramref name="Override"/>, null when the rollout decides), and how many of the tenant's callers were last given
/// each variant (<paramref name="Assignments"/>).
/// </summary>
public sealed record FeatureResponse(string Name, IReadOnlyList<string> Variants, string? Override, IReadOnlyDictionary<string, int> Assignments);

public sealed record FeatureListResponse(IReadOnlyList<FeatureResponse> Items);

/// <summary>The variant every caller of the tenant gets, whatever the rollout allocates.</summary>
public sealed record FeatureOverrideRequest(string? Variant);
