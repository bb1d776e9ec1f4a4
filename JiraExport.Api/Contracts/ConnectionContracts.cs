namespace JiraExport.Api.Contracts;

public sealed record CreateConnectionRequest(string? Name, string? BaseUrl, string? Deployment, ConnectionAuthRequest? Auth);

/// <summary><c>{type:"basic", email, apiToken}</c> or <c>{type:"bearer", token}</c>.</summary>
public sealed record ConnectionAuthRequest(string? Type, string? Email, string? ApiToken, string? Token);

/// <summary>A connection as clients see it: secrets are never echoed.</summary>
public sealed record ConnectionResponse(Guid Id, string Name, string BaseUrl, string Deployment, string AuthType, DateTimeOffset CreatedAt);

public sealed record ConnectionTestResponse(bool Ok, string? DisplayName, string? Error);
