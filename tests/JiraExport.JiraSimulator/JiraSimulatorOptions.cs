using JiraExport.JiraSimulator.OAuth;

namespace JiraExport.JiraSimulator;

/// <summary>Credentials the simulator accepts and the seed its data is generated from. Bound from "JiraSimulator".</summary>
public sealed class JiraSimulatorOptions
{
    public const string SectionName = "JiraSimulator";

    public const string DefaultCloudId = "5b6c2f0e-7d1a-4c3e-9f8b-2a4d6e8c0b13";

    /// <summary>Email half of <c>Authorization: Basic base64(email:apiToken)</c> (Cloud style).</summary>
    public string BasicEmail { get; set; } = "demo@example.com";

    public string BasicApiToken { get; set; } = "sim-api-token";

    /// <summary>Token accepted as <c>Authorization: Bearer</c> (Data Center personal access token style).</summary>
    public string BearerToken { get; set; } = "sim-personal-access-token";

    /// <summary>The site's cloud id: the <c>{cloudId}</c> of <c>/ex/jira/{cloudId}/rest/...</c> and the <c>id</c> in accessible-resources.</summary>
    public string CloudId { get; set; } = DefaultCloudId;

    /// <summary>
    /// OAuth 2.0 (3LO) apps. Starts with the test app; configuration binding appends to the list, and a later entry with
    /// the same client id replaces an earlier one, so configuration can also re-register the test app.
    /// </summary>
    public List<OAuthClientOptions> OAuthClients { get; set; } = [OAuthClientOptions.CreateTestClient()];

    /// <summary>Same seed and count, same issues.</summary>
    public int Seed { get; set; } = 20261124;

    /// <summary>How many issues the site starts with, spread over its four projects in fixed proportions.</summary>
    public int IssueCount { get; set; } = JiraExport.JiraSimulator.Seed.SeedGenerator.DefaultIssueCount;

    /// <summary>The most people one <c>users/search</c> page holds, whatever <c>maxResults</c> asks: Jira may answer fewer than asked.</summary>
    public int UserSearchPageCap { get; set; } = 1000;
}
