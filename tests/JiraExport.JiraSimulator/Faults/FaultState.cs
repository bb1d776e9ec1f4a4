namespace JiraExport.JiraSimulator.Faults;

/// <summary>The armed fault and the request counters, shared by every request thread.</summary>
internal sealed class FaultState
{
    private readonly Lock _gate = new();
    private FaultSpec? _fault;
    private int _remaining;
    private long _requests;
    private long _faultsServed;

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

    /// <summary>Counts one <c>/rest</c> request and returns the fault it must suffer, if any, using up one of a counted fault's shots.</summary>
    public FaultSpec? OnRequest()
    {
        Interlocked.Increment(ref _requests);
        lock (_gate)
        {
            var fault = _fault;
            if (fault is null)
            {
                return null;
            }

            if (fault.Count > 0 && --_remaining <= 0)
            {
                _fault = null;
            }

            Interlocked.Increment(ref _faultsServed);
            return fault;
        }
    }

    public void ResetStats()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _faultsServed, 0);
    }
}
