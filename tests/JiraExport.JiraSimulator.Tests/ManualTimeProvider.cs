namespace JiraExport.JiraSimulator.Tests;

/// <summary>
/// A clock the test moves by hand, starting at the real now. Only reading the time is faked: timers and delays still run
/// on real time, which is all the expiry checks need (no time-testing package is available here).
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _utcTicks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
