using System.ComponentModel.DataAnnotations;

namespace JiraExport.Core.Jira;

/// <summary>
/// JiraExport's OAuth 2.0 (3LO) app as registered in Atlassian's developer console ("JiraOAuth" section). The URLs
/// default to Atlassian's; tests point them at the simulator. Without a client id, OAuth connections are off.
/// </summary>
public sealed class JiraOAuthOptions
{
    public const string SectionName = "JiraOAuth";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Where Atlassian sends the browser back; must equal a callback URL registered for the app.</summary>
    public string? RedirectUri { get; set; }

    [Required]
    public string Scopes { get; set; } = "read:jira-work read:jira-user offline_access";

    [Required]
    public string AuthorizeUrl { get; set; } = "https://auth.atlassian.com/authorize";

    [Required]
    public string TokenUrl { get; set; } = "https://auth.atlassian.com/oauth/token";

    [Required]
    public string ResourcesUrl { get; set; } = "https://api.atlassian.com/oauth/token/accessible-resources";

    /// <summary>Jira APIs are called at <c>{GatewayBaseUrl}/ex/jira/{cloudId}</c>.</summary>
    [Required]
    public string GatewayBaseUrl { get; set; } = "https://api.atlassian.com";

    /// <summary>An access token this close to expiry is refreshed before use.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a started authorization may take before its state is refused.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret) && !string.IsNullOrEmpty(RedirectUri);
}
