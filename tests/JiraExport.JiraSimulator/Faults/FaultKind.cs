namespace JiraExport.JiraSimulator.Faults;

internal enum FaultKind
{
    /// <summary>429 with Retry-After and X-RateLimit-* headers, as Jira's rate limiter answers.</summary>
    RateLimited,

    /// <summary>503, as Jira answers during an outage or deployment.</summary>
    Unavailable,

    /// <summary>The request is served normally, after a delay.</summary>
    Latency,

    /// <summary>The request is answered as the site is now, but the answer leaves after the delay: a read that races a change.</summary>
    LateAnswer,

    /// <summary>200 with a JSON body of <see cref="FaultSpec.SizeBytes"/> bytes, streamed without a length: a hostile or broken Jira.</summary>
    Oversized,
}

/// <summary>
/// An armed fault. <see cref="Count"/> 0 means "every request until cleared". <see cref="Reason"/> is the 429's
/// <c>RateLimit-Reason</c>; a quota reason (<c>jira-quota-*</c>) denies every request until the reset, as Jira does,
/// and leaves <c>Retry-After</c> out when <see cref="RetryAfterSeconds"/> is given only as the reset.
/// </summary>
internal sealed record FaultSpec(FaultKind Kind, int Count, int RetryAfterSeconds, int LatencyMs, string Reason = FaultSpec.BurstReason, int SizeBytes = 0)
{
    public const string BurstReason = "jira-burst-based";

    public bool IsQuota => Reason.StartsWith("jira-quota-", StringComparison.Ordinal);
}
