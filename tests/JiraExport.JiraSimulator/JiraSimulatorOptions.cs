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

    /// <summary>Same seed, same 5,000 issues.</summary>
    public int Seed { get; set; } = 20261124;
}
