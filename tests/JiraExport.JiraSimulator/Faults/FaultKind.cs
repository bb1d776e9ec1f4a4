namespace JiraExport.JiraSimulator.Faults;

internal enum FaultKind
{
    /// <summary>429 with Retry-After and X-RateLimit-* headers, as Jira's rate limiter answers.</summary>
    RateLimited,

    /// <summary>503, as Jira answers during an outage or deployment.</summary>
    Unavailable,

    /// <summary>The request is served normally, after a delay.</summary>
    Latency,
}

/// <summary>An armed fault. <see cref="Count"/> 0 means "every request until cleared".</summary>
internal sealed record FaultSpec(FaultKind Kind, int Count, int RetryAfterSeconds, int LatencyMs);
