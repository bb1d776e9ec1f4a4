namespace JiraExport.JiraSimulator.Faults;

/// <summary>The armed fault and the request counters, shared by every request thread.</summary>
internal sealed class FaultState
{
    private readonly Lock _gate = new();
    private FaultSpec? _fault;
    private int _remaining;
    private long _requests;
    private long _faultsServed;
    private FaultSpec? _quotaFault;
    private DateTimeOffset _quotaResetsAt;
    private readonly Queue<LoggedRequest> _log = new();

    /// <summary>What <c>GET /status</c> answers instead of the site's statuses, when a test plays a hostile or broken Jira.</summary>
    public System.Text.Json.Nodes.JsonNode? StatusList { get; set; }

    /// <summary>How many of the latest requests <see cref="Log"/> keeps.</summary>
    public const int LogLength = 10_000;

    public long Requests => Interlocked.Read(ref _requests);

    public long FaultsServed => Interlocked.Read(ref _faultsServed);

    public void Arm(FaultSpec fault)
    {
        lock (_gate)
        {
            _fault = fault;
            _remaining = fault.Count;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _fault = null;
            _remaining = 0;
            _quotaFault = null;
        }
    }

    /// <summary>The armed fault and how many requests it still applies to (0 = until cleared), for inspection.</summary>
    public (FaultSpec? Fault, int Remaining) Current()
    {
        lock (_gate)
        {
            return (_fault, _remaining);
        }
    }

    /// <summary>
    /// Counts one <c>/rest</c> request and returns the fault it must suffer, if any, using up one of a counted fault's
    /// shots. While an exhausted quota has not reset, every request is denied with it (and counted as served).
    /// </summary>
    public FaultSpec? OnRequest(DateTimeOffset now, string path)
    {
        Interlocked.Increment(ref _requests);
        lock (_gate)
        {
            var fault = Serve(now);
            _log.Enqueue(new LoggedRequest(now, fault?.Kind, path));
            if (_log.Count > LogLength)
            {
                _log.Dequeue();
            }

            return fault;
        }
    }

    /// <summary>When each request since the last reset arrived and the fault it was served, oldest first.</summary>
    public IReadOnlyList<LoggedRequest> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The fault this request suffers; the caller holds the lock.</summary>
    private FaultSpec? Serve(DateTimeOffset now)
    {
        if (_quotaFault is not null && now < _quotaResetsAt)
        {
            Interlocked.Increment(ref _faultsServed);
            return _quotaFault;
        }

        var fault = _fault;
        if (fault is null)
        {
            return null;
        }

        if (fault.Count > 0 && --_remaining <= 0)
        {
            _fault = null;
        }

        if (fault.Kind == FaultKind.RateLimited && fault.IsQuota)
        {
            _quotaFault = fault;
            // Quotas reset on a whole second (Jira's at the top of the hour), which the header can state exactly.
            var reset = now.AddSeconds(fault.RetryAfterSeconds);
            _quotaResetsAt = new DateTimeOffset(reset.UtcTicks - (reset.UtcTicks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }

        Interlocked.Increment(ref _faultsServed);
        return fault;
    }

    /// <summary>When the quota a fault exhausted resets (the same instant for every request it denies).</summary>
    public DateTimeOffset QuotaResetsAt
    {
        get
        {
            lock (_gate)
            {
                return _quotaResetsAt;
            }
        }
    }

    public void ResetStats()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _faultsServed, 0);
        lock (_gate)
        {
            _log.Clear();
        }
    }
}

/// <summary>A <c>/rest</c> request as the simulator saw it: when it arrived, and the fault it got (none when served normally).</summary>
internal sealed record LoggedRequest(DateTimeOffset At, FaultKind? Fault, string Path);
