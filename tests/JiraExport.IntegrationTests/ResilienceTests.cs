using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Crashes and a misbehaving Jira lose nothing: a killed Worker's job comes back and finishes once, and rate
/// limits and outages are waited out.
/// </summary>
public sealed class ResilienceTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledWorkerMidExportStillCompletesWithOneFileAndNoDuplicateEvents()
    {
        var tenant = await system.CreateTenantAsync(Token);
        // Slow Jira down so the kill lands while issues are being read.
        await system.InjectJiraFaultAsync(new { kind = "latency", latencyMs = 400 }, Token);
        try
        {
            var exportId = await tenant.RequestExportAsync("project = ALPHA ORDER BY key ASC", Token);
            await tenant.WaitForExportAsync(exportId, e => e is { Status: "running", Progress: > 0 }, TimeSpan.FromMinutes(1), Token);

            await system.RestartWorkerAfterCrashAsync(() => system.ClearJiraFaultsAsync(Token), Token);

            var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
            Assert.Equal("succeeded", export.Status);
            Assert.Equal(2000, export.IssueCount);

            await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
            await connection.OpenAsync(Token);
            Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM export_files WHERE export_id = @id", exportId));
            Assert.Equal(2, await ScalarAsync(connection, "SELECT attempts FROM exports WHERE id = @id", exportId));

            var events = await EventsAsync(connection, exportId);
            Assert.Single(events, e => e.Type == "completed");
            Assert.DoesNotContain(events, e => e.Type == "failed");
            // Progress only grows, so a replayed run cannot repeat a step the crashed run already announced.
            var progress = events.Where(e => e.Type == "progress").Select(e => (e.Status, e.Progress)).ToList();
            Assert.Equal(progress.Distinct().Count(), progress.Count);
            Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        }
        finally
        {
            await system.ClearJiraFaultsAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task RateLimitedJiraIsWaitedOutThroughRetryAfter()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.InjectJiraFaultAsync(new { kind = "429", count = 2, retryAfterSeconds = 1 }, Token);

        var exportId = await tenant.RequestExportAsync("project = DELTA ORDER BY key ASC", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("succeeded", export.Status);
        Assert.Equal(500, export.IssueCount);

        Assert.Equal(2, (await system.GetJiraStatsAsync(Token)).FaultsServed);
        // The export's first call is alone: each 429 is followed by its retry, which waited the second Jira asked for
        // (the client's own backoff would have been about 0.2 s).
        var waits = (await system.GetJiraRequestLogAsync(Token)).WaitsAfterFaults();
        Assert.Equal(2, waits.Count);
        Assert.All(waits, wait => Assert.True(wait >= TimeSpan.FromSeconds(0.95), $"A retry came {wait.TotalMilliseconds:0} ms after a 429 asking for 1 s."));
    }

    [Fact]
    public async Task JiraAnsweringServiceUnavailableIsRetriedWithBackoff()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.InjectJiraFaultAsync(new { kind = "503", count = 2 }, Token);

        var exportId = await tenant.RequestExportAsync("key = DELTA-7", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("succeeded", export.Status);
        Assert.Equal(1, export.IssueCount);
        // The export asks which issues match, then reads them with every field: two calls, the first retried twice.
        Assert.Equal(new JiraSimulatorStats(Requests: 4, FaultsServed: 2), await system.GetJiraStatsAsync(Token));
        // Backed off, not hammered: exponential from 0.2 s with jitter waits about 0.6 s over the two retries in all.
        var waits = (await system.GetJiraRequestLogAsync(Token)).WaitsAfterFaults();
        Assert.Equal(2, waits.Count);
        Assert.True(waits.Sum(w => w.TotalMilliseconds) >= 100, $"The retries came {string.Join(" and ", waits.Select(w => $"{w.TotalMilliseconds:0} ms"))} after the 503s.");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, Guid id)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<(long Sequence, string Type, string Status, int Progress)>> EventsAsync(NpgsqlConnection connection, Guid exportId)
    {
        await using var command = new NpgsqlCommand(
            "SELECT sequence, type, payload->>'status', (payload->>'progress')::int FROM domain_events WHERE aggregate_id = @id ORDER BY sequence", connection);
        command.Parameters.AddWithValue("id", exportId);
        var events = new List<(long, string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        }

        return events;
    }
}
