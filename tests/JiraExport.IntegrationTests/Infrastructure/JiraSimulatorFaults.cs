using System.Net.Http.Json;
using System.Text.Json;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record JiraSimulatorStats(int Requests, int FaultsServed);

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

    public static async Task<JiraSimulatorStats> GetJiraStatsAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        using var simulator = system.CreateSimulatorClient();
        return (await simulator.GetFromJsonAsync<JiraSimulatorStats>("/_simulator/stats", JsonSerializerOptions.Web, cancellationToken))!;
    }
}
