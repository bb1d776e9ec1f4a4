using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Analytics read the synced data from the hot standby eng/test.sh runs (the Api's reads connection lists it first),
/// but only once it has replayed the tenant's last change the services made: until then the primary answers. Replay is
/// paused on the real standby to hold it behind.
/// </summary>
public sealed class StandbyReadTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string FlowWindow = "project=FLOW&from=2026-11-01&to=2026-11-30";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheStandbyAnswersWhatItHasReplayedAndThePrimaryAnswersOnceTheServicesChangedTheTenantsData()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, FlowHistories.November, Token);
        Assert.Equal(6, await FinishedCountAsync(tenant));
        var caughtUp = await StandbyReadsAsync("standby", "caught up", above: 0);
        Assert.True(caughtUp > 0, "No analytics read was answered by the standby.");

        await using (await PauseReplayAsync())
        {
            // Behind the services' backs, so no watermark moves: the primary loses a finished issue, the standby keeps it.
            await using (var primary = new NpgsqlConnection(system.OwnerConnectionString))
            {
                await primary.OpenAsync(Token);
                await using var delete = new NpgsqlCommand("DELETE FROM jira_issues WHERE connection_id = @connection AND key = 'FLOW-8'", primary);
                delete.Parameters.AddWithValue("connection", tenant.ConnectionId);
                Assert.Equal(1, await delete.ExecuteNonQueryAsync(Token));
            }

            Assert.Equal(6, await FinishedCountAsync(tenant));
            Assert.True(await StandbyReadsAsync("standby", "caught up", above: caughtUp) > caughtUp, "The stale answer did not come from the standby.");

            // A change the services make raises the tenant's watermark past what the standby has replayed: the standby is
            // left out, and the primary's state answers. A full sync: the FLOW issues were never in the simulator's Jira,
            // so it removes them as deleted there, and none finished.
            var behind = await StandbyReadsAsync("primary", "standby behind", above: -1);
            await tenant.SyncAsync(new { mode = "full", projects = new[] { "GAMMA" } }, Token);
            Assert.Equal(0, await FinishedCountAsync(tenant));
            Assert.True(await StandbyReadsAsync("primary", "standby behind", above: behind) > behind, "The primary answered for another reason.");
        }

        // Replay resumed: once the standby has caught up with the sync, it answers again, the same.
        var standbyBefore = await StandbyReadsAsync("standby", "caught up", above: caughtUp);
        await system.WaitForStandbyAsync(Token);
        Assert.Equal(0, await FinishedCountAsync(tenant));
        Assert.True(await StandbyReadsAsync("standby", "caught up", above: standbyBefore) > standbyBefore);
    }

    /// <summary>How many FLOW issues finished in November (the cycle-time figure's count): six as loaded.</summary>
    private async Task<int> FinishedCountAsync(TestTenant tenant)
    {
        using var response = await tenant.Client.GetAsync($"/api/v1/analytics/flow/cycle-time?{FlowWindow}", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
        return (int)(await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["count"]!;
    }

    /// <summary>
    /// The Api's count of reads a standby may serve, answered by <paramref name="server"/> for <paramref name="reason"/>:
    /// read again for a few seconds until it is above <paramref name="above"/> (the scrape lags the reads a little).
    /// </summary>
    private Task<double> StandbyReadsAsync(string server, string reason, double above) =>
        Polling.UntilAsync(
            async () => (await system.Api.ScrapeAsync(Token)).Sum("jiraexport_standby_reads_total", ("server", server), ("reason", reason)) ?? 0,
            count => count > above, TimeSpan.FromSeconds(10), Token);

    /// <summary>Pauses WAL replay on the standby (every database on it) until disposed.</summary>
    private async Task<IAsyncDisposable> PauseReplayAsync()
    {
        var standby = new NpgsqlConnection(system.StandbyConnectionString);
        await standby.OpenAsync(Token);
        await using (var pause = new NpgsqlCommand("SELECT pg_wal_replay_pause()", standby))
        {
            await pause.ExecuteNonQueryAsync(Token);
        }

        return new ReplayPause(standby);
    }

    private sealed class ReplayPause(NpgsqlConnection standby) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var resume = new NpgsqlCommand("SELECT pg_wal_replay_resume()", standby))
            {
                await resume.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await standby.DisposeAsync();
        }
    }
}
