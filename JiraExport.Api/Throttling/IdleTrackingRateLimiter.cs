using System.Diagnostics;
using System.Threading.RateLimiting;

namespace JiraExport.Api.Throttling;

/// <summary>
/// Reports how long a Redis-backed limiter has been unused. The Redis limiter itself says "idle for zero", so the
/// partitioned limiter would keep one per client address in memory for ever; with this it drops those unused for 10 s
/// (the counts live in Redis, so dropping one loses nothing).
/// </summary>
internal sealed class IdleTrackingRateLimiter(RateLimiter inner) : RateLimiter
{
    private long _lastUsed = Stopwatch.GetTimestamp();

    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    // The Redis limiter does not keep statistics (it throws); the partitioned limiter does not need them.
    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        return inner.AttemptAcquire(permitCount);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        return inner.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
