using System.Net.Http.Json;
using System.Text.Json;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record JiraSimulatorStats(int Requests, int FaultsServed);

/// <summary>A request the simulator logged: when it arrived, the fault it got ("429", "503", …; null when served) and its path.</summary>
public sealed record JiraLoggedRequest(DateTimeOffset At, string? Fault, string? Path = null);

/// <summary>The simulator's fault switches and request counters, as the resilience tests use them.</summary>
public static class JiraSimulatorFaults
{
    /// <summary><paramref name="fault"/> is the simulator's body, e.g. <c>new { kind = "429", count = 2, retryAfterSeconds = 1 }</c>.</summary>
    public static async Task InjectJiraFaultAsync(this JiraExportSystem system, object fault, CancellationToken cancellationToken)
    {
        using var simulator = system.CreateSimulatorClient();
        using var reset = await simulator.DeleteAsync("/_simulator/stats", cancellationToken);
        reset.EnsureSuccessStatusCode();
        using var injected = await simulator.PostAsJsonAsync("/_simulator/faults", fault, cancellationToken);
        injected.EnsureSuccessStatusCode();
    }

    public static async Task ClearJiraFaultsAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        using var simulator = system.CreateSimulatorClient();
        using var cleared = await simulator.DeleteAsync("/_simulator/faults", cancellationToken);
        cleared.EnsureSuccessStatusCode();
    }

    /// <summary>The requests since the fault was injected, oldest first.</summary>
    public static async Task<List<JiraLoggedRequest>> GetJiraRequestLogAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        using var simulator = system.CreateSimulatorClient();
        return (await simulator.GetFromJsonAsync<List<JiraLoggedRequest>>("/_simulator/requests", JsonSerializerOptions.Web, cancellationToken))!;
    }

    /// <summary>How long after each faulted request the next request came: the wait the client chose.</summary>
    public static List<TimeSpan> WaitsAfterFaults(this IReadOnlyList<JiraLoggedRequest> log) =>
        [.. log.Zip(log.Skip(1)).Where(pair => pair.First.Fault is not null).Select(pair => pair.Second.At - pair.First.At)];

    public static async Task<JiraSimulatorStats> GetJiraStatsAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        using var simulator = system.CreateSimulatorClient();
        return (await simulator.GetFromJsonAsync<JiraSimulatorStats>("/_simulator/stats", JsonSerializerOptions.Web, cancellationToken))!;
    }
}
