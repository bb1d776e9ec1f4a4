namespace JiraExport.JiraSimulator;

/// <summary>Credentials the simulator accepts and the seed its data is generated from. Bound from "JiraSimulator".</summary>
public sealed class JiraSimulatorOptions
{
    public const string SectionName = "JiraSimulator";

    /// <summary>Email half of <c>Authorization: Basic base64(email:apiToken)</c> (Cloud style).</summary>
    public string BasicEmail { get; set; } = "demo@example.com";

    public string BasicApiToken { get; set; } = "sim-api-token";

    /// <summary>Token accepted as <c>Authorization: Bearer</c> (Data Center personal access token style).</summary>
    public string BearerToken { get; set; } = "sim-personal-access-token";

    /// <summary>Same seed and count, same issues.</summary>
    public int Seed { get; set; } = 20261124;

    /// <summary>How many issues the site starts with, spread over its four projects in fixed proportions.</summary>
    public int IssueCount { get; set; } = JiraExport.JiraSimulator.Seed.SeedGenerator.DefaultIssueCount;
}
