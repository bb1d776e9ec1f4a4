using System.ComponentModel.DataAnnotations;

namespace JiraExport.Core.Jira;

public sealed class JiraClientOptions
{
    public const string SectionName = "Jira";

    /// <summary>Issues asked for per search page; Jira may answer with fewer.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>A search that needs more pages than this fails instead of looping.</summary>
    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 1_000;

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries, even when Jira's <c>Retry-After</c> asks for more.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lets connections reach loopback and private addresses; only for local runs and tests (the simulator).</summary>
    public bool AllowPrivateNetworks { get; set; }
}
