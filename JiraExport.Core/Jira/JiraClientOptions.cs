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

    /// <summary>
    /// The largest answer read from Jira, in bytes (a page of 100 issues with every field and its changelog is a few
    /// megabytes). A Jira that sends more, by mistake or on purpose, fails the call instead of filling the memory.
    /// </summary>
    [Range(64 * 1024, int.MaxValue)]
    public int MaxResponseBytes { get; set; } = 64 * 1024 * 1024;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries, even when Jira's <c>Retry-After</c> asks for more.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests in flight to one Jira site from this process at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRequestsPerSite { get; set; } = 4;

    /// <summary>
    /// Steady request rate to one Jira site from this process. Cloud's burst limit (100/s for GET and POST) is shared by
    /// every app and token on the site, so JiraExport takes a fraction of it.
    /// </summary>
    [Range(1, 1000)]
    public int RequestsPerSecondPerSite { get; set; } = 20;

    /// <summary>How long a site runs at half its rate after a 429.</summary>
    public TimeSpan SlowdownAfterRateLimit { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a 429 may pause a site, whatever its reset says (an hourly quota could ask for an hour).</summary>
    public TimeSpan MaxRateLimitPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed calls to one node within 30 s before its circuit may open (and half of the calls must have failed).</summary>
    [Range(2, 1000)]
    public int NodeCircuitMinimumThroughput { get; set; } = 5;

    /// <summary>How long a node whose circuit opened is skipped before one call tries it again.</summary>
    public TimeSpan NodeBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A node answering its health check slower than this makes the connection degraded.</summary>
    public TimeSpan SlowNodeThreshold { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lets connections reach loopback and private addresses; only for local runs and tests (the simulator).</summary>
    public bool AllowPrivateNetworks { get; set; }
}
