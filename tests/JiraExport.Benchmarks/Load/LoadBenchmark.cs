using System.Diagnostics;

namespace JiraExport.Benchmarks.Load;

/// <summary>
/// "load": the issue's load figures through the gateways, in three phases on one system. People (1,000) sign in, list,
/// export, watch over SignalR and download, all connected at once at the end; then open HTTP connections (5,000) are
/// held and used; then SignalR connections (10,000) are held and each hears its tenant's export. Every step's
/// percentiles, and each process's memory and open files after each phase. Fails on any failed step.
/// </summary>
internal static class LoadBenchmark
{
    /// <summary>How long connections are held before they are counted.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadTarget target, int users, int httpConnections, int hubConnections,
        IReadOnlyList<DeploymentProcess> processes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tenants = await LoadFixture.CreateAsync(target, users, cancellationToken);
        Console.WriteLine($"Load through {string.Join(", ", target.Gateways)}: {tenants.Count} tenants of up to {LoadFixture.UsersPerTenant} people, " +
                          $"each synced ({LoadFixture.Jql}), made in {clock.Elapsed.TotalSeconds:0} s");
        var failed = 0;

        // Five sign-ins a second: each hashes the password (PBKDF2, 100,000 rounds), the dearest step on two cores.
        var ramp = TimeSpan.FromSeconds(Math.Max(10, users / 5));
        var journeyTimings = new StepTimings();
        var journeys = new UserJourneys(target, journeyTimings);
        clock.Restart();
        var people = await journeys.RunAsync(tenants, ramp, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"1. {users:N0} people arriving over {ramp.TotalSeconds:0} s (sign in, connect, list, export, hear it done, download, " +
                          $"stay until the last is done): {clock.Elapsed.TotalSeconds:0} s, {people.Count:N0} went through, " +
                          $"{journeys.MostConnectedAtOnce:N0} connected at once at most");
        journeyTimings.Write(Console.Out);
        ProcessUse.Write(Console.Out, "after the last left", ProcessUse.Take(processes));
        failed += journeyTimings.Failures;
        if (people.Count == 0)
        {
            return 1;
        }

        if (httpConnections > 0)
        {
            failed += await HoldHttpConnectionsAsync(target, people, httpConnections, processes, cancellationToken);
        }

        if (hubConnections > 0)
        {
            failed += await HoldHubConnectionsAsync(target, people, hubConnections, processes, cancellationToken);
        }

        Console.WriteLine();
        Console.WriteLine($"Target: every step of every client succeeds and every connection is held ({failed:N0} failed)");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Phase 2; answers its failures.</summary>
    private static async Task<int> HoldHttpConnectionsAsync(
        LoadTarget target, IReadOnlyList<SignedInPerson> people, int httpConnections, IReadOnlyList<DeploymentProcess> processes, CancellationToken cancellationToken)
    {
        var httpTimings = new StepTimings();
        var clock = Stopwatch.StartNew();
        var (established, use) = await HeldHttpConnections.HoldAsync(target, people, httpConnections,
            TimeSpan.FromSeconds(Math.Max(5, httpConnections / 250)), Hold, processes, httpTimings, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"2. {httpConnections:N0} HTTP connections opened and held {Hold.TotalSeconds:0} s, each asking every " +
                          $"{HeldHttpConnections.Interval.TotalSeconds:0} s: {established:N0} established at the gateways at the end ({clock.Elapsed.TotalSeconds:0} s)");
        httpTimings.Write(Console.Out);
        ProcessUse.Write(Console.Out, "while held", use);
        return httpTimings.Failures + Math.Max(0, httpConnections - established);
    }

    /// <summary>Phase 3; answers its failures.</summary>
    private static async Task<int> HoldHubConnectionsAsync(
        LoadTarget target, IReadOnlyList<SignedInPerson> people, int hubConnections, IReadOnlyList<DeploymentProcess> processes, CancellationToken cancellationToken)
    {
        var hubTimings = new StepTimings();
        var clock = Stopwatch.StartNew();
        var held = await HeldHubConnections.HoldAsync(target, people, hubConnections,
            TimeSpan.FromSeconds(Math.Max(5, hubConnections / 200)), Hold, processes, hubTimings, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"3. {hubConnections:N0} SignalR connections (WebSockets) opened and held {Hold.TotalSeconds:0} s: {held.Opened:N0} opened, " +
                          $"{held.ConnectedAtEnd:N0} connected at the end, {held.Established:N0} established at the gateways; then one export per tenant: " +
                          $"{held.Heard:N0} heard it, {held.Missed:N0} missed it, at most {held.WorstSpread.TotalMilliseconds:0} ms between a tenant's first and last " +
                          $"({clock.Elapsed.TotalSeconds:0} s)");
        hubTimings.Write(Console.Out);
        ProcessUse.Write(Console.Out, "while held", held.Processes);
        return hubTimings.Failures + held.Missed + (hubConnections - held.ConnectedAtEnd);
    }
}
