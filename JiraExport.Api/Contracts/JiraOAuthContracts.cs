namespace JiraExport.Api.Contracts;

/// <summary><paramref name="SiteUrl"/> picks the site when the grant reaches several (e.g. https://acme.atlassian.net).</summary>
public sealed record StartJiraOAuthRequest(string? Name, string? SiteUrl);

public sealed record StartJiraOAuthResponse(Uri AuthorizeUrl, DateTimeOffset ExpiresAt);
