using System.Net;
using JiraExport.Core.Jira;
using Microsoft.Extensions.Options;
using Xunit;

namespace JiraExport.Core.Tests.Jira;

/// <summary>The rate gate's rules, with a clock that stands still: pauses after 429s and a connection's own limits.</summary>
public sealed class JiraRateGateTests
{
    private static readonly Uri Site = new("https://acme.atlassian.net/rest/api/3/search/jql");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly JiraRateGate _gate = new(Options.Create(new JiraClientOptions()), new StoppedClock(Now));

    [Fact]
    public void ABurst429PausesTheWholeSiteForRetryAfterAndALaterShorterOneDoesNotShortenIt()
    {
        _gate.Observe(Site, RateLimited(retryAfterSeconds: 7, reason: "jira-burst-based", reset: null));
        _gate.Observe(new Uri("https://acme.atlassian.net/rest/api/3/issue/bulkfetch"), RateLimited(retryAfterSeconds: 2, reason: "jira-burst-based", reset: null));

        Assert.Equal(Now.AddSeconds(7), _gate.PausedUntil(new Uri("https://acme.atlassian.net/")));
        Assert.Null(_gate.PausedUntil(new Uri("https://other.atlassian.net/")));
    }

    [Fact]
    public void AnExhaustedQuotaPausesUntilItsResetEvenWithoutRetryAfterButNoLongerThanTheCap()
    {
        _gate.Observe(Site, RateLimited(retryAfterSeconds: null, reason: "jira-quota-tenant-based", reset: "2026-11-25T12:03:00Z"));
        Assert.Equal(Now.AddMinutes(3), _gate.PausedUntil(Site));

        _gate.Observe(Site, RateLimited(retryAfterSeconds: 1, reason: "jira-quota-global-based", reset: "2026-11-25T13:00:00Z"));
        Assert.Equal(Now + new JiraClientOptions().MaxRateLimitPause, _gate.PausedUntil(Site));
    }

    [Fact]
    public async Task APausedSiteHoldsEveryCallUntilTheReset()
    {
        _gate.Observe(Site, RateLimited(retryAfterSeconds: 3600, reason: "jira-burst-based", reset: null));
        using var cancel = new CancellationTokenSource();

        var waiting = _gate.EnterAsync(Site, limits: null, cancel.Token).AsTask();
        await Task.Yield();

        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task AConnectionsOwnConcurrencyLimitHoldsTheSecondCallUntilTheFirstEnds()
    {
        var one = new JiraSiteLimits(MaxConcurrentRequests: 1, RequestsPerSecond: 100);

        var first = await _gate.EnterAsync(Site, one, TestContext.Current.CancellationToken);
        var second = _gate.EnterAsync(Site, one, TestContext.Current.CancellationToken).AsTask();
        // The deployment's default (4 at once) on the same site is a budget of its own and is not held up.
        using var unlimited = await _gate.EnterAsync(Site, limits: null, TestContext.Current.CancellationToken);
        await Task.Yield();

        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Dispose();
    }

    private static HttpResponseMessage RateLimited(int? retryAfterSeconds, string reason, string? reset)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        response.Headers.Add("RateLimit-Reason", reason);
        if (reset is not null)
        {
            response.Headers.Add("X-RateLimit-Reset", reset);
        }

        return response;
    }

    /// <summary>Reading the time is fixed; timers still run on real time, which these tests never wait for.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
