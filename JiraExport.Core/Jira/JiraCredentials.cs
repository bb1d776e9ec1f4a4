using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;

namespace JiraExport.Core.Jira;

/// <summary>How JiraExport signs in to a Jira: email + API token (Cloud) or a personal access token (Data Center).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(BasicJiraCredentials), "basic")]
[JsonDerivedType(typeof(BearerJiraCredentials), "bearer")]
[JsonDerivedType(typeof(OAuthJiraCredentials), "oauth")]
public abstract record JiraCredentials
{
    public abstract AuthenticationHeaderValue ToAuthorizationHeader();
}

public sealed record BasicJiraCredentials(string Email, string ApiToken) : JiraCredentials
{
    public override AuthenticationHeaderValue ToAuthorizationHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}:{ApiToken}")));
}

public sealed record BearerJiraCredentials(string Token) : JiraCredentials
{
    public override AuthenticationHeaderValue ToAuthorizationHeader() => new("Bearer", Token);
}

/// <summary>
/// An OAuth 2.0 (3LO) grant for one Cloud site, reached through <c>api.atlassian.com/ex/jira/{cloudId}</c>. The
/// refresh token rotates on every use (the previous one dies), so the pair is stored back after each refresh.
/// </summary>
public sealed record OAuthJiraCredentials(
    string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, string CloudId, string SiteUrl, string Scope) : JiraCredentials
{
    public override AuthenticationHeaderValue ToAuthorizationHeader() => new("Bearer", AccessToken);
}

/// <summary>Everything the client needs to reach one Jira; built per call, never stored on a shared HttpClient.</summary>
public sealed record JiraSite(Uri BaseUrl, Domain.JiraDeployment Deployment, JiraCredentials Credentials)
{
    /// <summary>Other nodes of the same site, tried in order when the ones before them fail.</summary>
    public IReadOnlyList<Uri> FailoverUrls { get; init; } = [];

    /// <summary>The connection's own request limits, where it sets them (see <see cref="JiraRateGate"/>).</summary>
    public JiraSiteLimits? Limits { get; init; }

    public IReadOnlyList<Uri> Nodes => [BaseUrl, .. FailoverUrls];
}

/// <summary>Per-connection overrides of <c>Jira:MaxConcurrentRequestsPerSite</c> and <c>Jira:RequestsPerSecondPerSite</c>.</summary>
public sealed record JiraSiteLimits(int? MaxConcurrentRequests, int? RequestsPerSecond);
