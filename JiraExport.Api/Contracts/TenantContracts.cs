namespace JiraExport.Api.Contracts;

public sealed record CreateTenantRequest(string? Name, string? Slug);

/// <summary>The API key appears here once; only its hash is kept.</summary>
public sealed record CreatedTenantResponse(Guid Id, string Name, string Slug, string ApiKey);

/// <summary><c>purgeAfterDays</c>: the grace period before every trace of the tenant is purged (default 30, 0 = at once).</summary>
public sealed record ScheduleDeletionRequest(int? PurgeAfterDays);

public sealed record TenantStatusResponse(Guid Id, string Status, DateTimeOffset? PurgeAfter);
