namespace JiraExport.Api.Contracts;

public sealed record CreateTenantRequest(string? Name, string? Slug);

/// <summary>The API key appears here once; only its hash is kept.</summary>
public sealed record CreatedTenantResponse(Guid Id, string Name, string Slug, string ApiKey);
