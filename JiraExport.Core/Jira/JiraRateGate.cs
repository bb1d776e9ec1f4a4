using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>
/// What this process may send to each Jira site: at most <see cref="JiraClientOptions.MaxConcurrentRequestsPerSite"/>
/// requests at once, a token bucket of <see cref="JiraClientOptions.RequestsPerSecondPerSite"/>, and a pause after a
/// 429 — until <c>X-RateLimit-Reset</c> for an exhausted quota (every call to the site waits, as Atlassian asks), for
/// <c>Retry-After</c> after a burst — then, for <see cref="JiraClientOptions.SlowdownAfterRateLimit"/>, half the rate. A
/// connection may set its own limits. One tenant's big sync therefore cannot spend another site's budget, and a storm
/// is waited out instead of hammered.
/// </summary>
public sealed class JiraRateGate(IOptions<JiraClientOptions> options, TimeProvider timeProvider)
{
    /// <summary>The connection's own limits, carried on each request to the handler.</summary>
    public static readonly HttpRequestOptionsKey<JiraSiteLimits?> LimitsOption = new("JiraExport.SiteLimits");

    // A 429 speaks for the whole site, so pauses are kept per site; budgets per site and limits, so a connection with
    // limits of its own never shares (or replaces) another's bucket.
    private readonly ConcurrentDictionary<string, SitePause> _pauses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Site, int Concurrency, int Rate), SiteBudget> _budgets = new();

    /// <summary>Waits for the site's turn; dispose the answer when the response has arrived.</summary>
    public async ValueTask<IDisposable> EnterAsync(Uri requestUri, JiraSiteLimits? limits, CancellationToken cancellationToken)
    {
        var site = SiteOf(requestUri);
        var pause = _pauses.GetOrAdd(site, static _ => new SitePause());
        while (pause.PausedUntil is { } until && until > timeProvider.GetUtcNow())
        {
            await Task.Delay(until - timeProvider.GetUtcNow(), timeProvider, cancellationToken);
        }

        var concurrency = limits?.MaxConcurrentRequests ?? options.Value.MaxConcurrentRequestsPerSite;
        var rate = Math.Max(1, limits?.RequestsPerSecond ?? options.Value.RequestsPerSecondPerSite);
        var budget = _budgets.GetOrAdd((site, concurrency, rate), static key => new SiteBudget(key.Concurrency, key.Rate));
        await budget.Concurrency.WaitAsync(cancellationToken);
        try
        {
            // Adaptive slowdown: for a while after a 429 each call costs two tokens, halving the site's rate.
            var cost = pause.SlowUntil > timeProvider.GetUtcNow() ? Math.Min(2, rate) : 1;
            using var lease = await budget.Bucket.AcquireAsync(cost, cancellationToken);
            return new Release(budget.Concurrency);
        }
        catch
        {
            budget.Concurrency.Release();
            throw;
        }
    }

    /// <summary>Reads a response's rate-limit headers; a 429 pauses the site.</summary>
    public void Observe(Uri requestUri, HttpResponseMessage response)
    {
        if ((int)response.StatusCode != 429)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var reason = Header(response, "RateLimit-Reason") ?? Header(response, "X-RateLimit-Reason");
        var reset = Header(response, "X-RateLimit-Reset") is { } text
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : (DateTimeOffset?)null;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => now + delta,
            { Date: { } date } => date,
            _ => (DateTimeOffset?)null,
        };

        // A quota holds until its reset for every call; a burst limit for as long as Retry-After says.
        var until = reason?.StartsWith("jira-quota", StringComparison.Ordinal) == true
            ? reset ?? retryAfter
            : retryAfter ?? reset;
        until ??= now + options.Value.RetryBaseDelay;
        var longest = now + options.Value.MaxRateLimitPause;
        var pause = _pauses.GetOrAdd(SiteOf(requestUri), static _ => new SitePause());
        pause.PauseUntil(until.Value > longest ? longest : until.Value);
        pause.SlowUntil = now + options.Value.SlowdownAfterRateLimit;
    }

    /// <summary>When the site may be called again, if it is paused now; for health reports and tests.</summary>
    public DateTimeOffset? PausedUntil(Uri siteUri) =>
        _pauses.TryGetValue(SiteOf(siteUri), out var pause) && pause.PausedUntil > timeProvider.GetUtcNow()
            ? pause.PausedUntil
            : null;

    private static string SiteOf(Uri uri) => uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class SitePause
    {
        private long _pausedUntilTicks;
        private long _slowUntilTicks;

        public DateTimeOffset? PausedUntil =>
            Interlocked.Read(ref _pausedUntilTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

        public DateTimeOffset SlowUntil
        {
            get => new(Interlocked.Read(ref _slowUntilTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _slowUntilTicks, value.UtcTicks);
        }

        /// <summary>Extends the pause, never shortens it: concurrent 429s may carry different waits.</summary>
        public void PauseUntil(DateTimeOffset until)
        {
            var ticks = until.UtcTicks;
            long current;
            do
            {
                current = Interlocked.Read(ref _pausedUntilTicks);
                if (current >= ticks)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _pausedUntilTicks, ticks, current) != current);
        }
    }

    private sealed class SiteBudget(int concurrency, int requestsPerSecond)
    {
        public SemaphoreSlim Concurrency { get; } = new(concurrency);

        public TokenBucketRateLimiter Bucket { get; } = new(new TokenBucketRateLimiterOptions
        {
            TokenLimit = requestsPerSecond,
            TokensPerPeriod = requestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}

/// <summary>Puts every attempt of a Jira call through <see cref="JiraRateGate"/> (it sits inside the retry pipeline).</summary>
public sealed class JiraRateGateHandler(JiraRateGate gate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(JiraRateGate.LimitsOption, out var limits);
        using var turn = await gate.EnterAsync(request.RequestUri!, limits, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        gate.Observe(request.RequestUri!, response);
        return response;
    }
}
