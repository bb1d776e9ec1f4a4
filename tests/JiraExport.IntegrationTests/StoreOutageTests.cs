using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// While PostgreSQL or Redis does not answer, the Api says so with a 503 problem and <c>Retry-After</c>, not a 500, and
/// serves again once the store is back. A relay in front of the real server stands for the outage.
/// </summary>
public sealed class StoreOutageTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisDownIsA503WithRetryAfterAndServiceResumesWhenItReturns()
    {
        var redis = TestEnvironment.Redis.Split(':');
        await using var outage = new TcpOutageProxy("127.0.0.1", int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        var environment = system.ApiEnvironment();
        environment["ConnectionStrings__redis"] = $"127.0.0.1:{outage.Port},abortConnect=false,connectTimeout=1000,syncTimeout=2000,asyncTimeout=2000";
        await AssertOutageIsA503Async(outage, environment);
    }

    [Fact]
    public async Task PostgreSqlDownIsA503WithRetryAfterAndServiceResumesWhenItReturns()
    {
        var database = new NpgsqlConnectionStringBuilder(system.AppConnectionString);
        await using var outage = new TcpOutageProxy("127.0.0.1", database.Port);
        database.Port = outage.Port;
        database.Timeout = 2;
        var environment = system.ApiEnvironment();
        environment["ConnectionStrings__jiraexportdb-app"] = database.ConnectionString;
        await AssertOutageIsA503Async(outage, environment);
    }

    /// <summary>
    /// Found by eng/faults.sh: PostgreSQL restarting under a running export failed every delivery at once (recording the
    /// failure needs the database too), spent the job's attempts within a second and parked it, the export left
    /// running for ever. The Worker now holds the delivery and carries on when the database is back.
    /// </summary>
    [Fact]
    public async Task AnExportWhoseDatabaseGoesAwayMidwayFinishesWhenItIsBack()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var database = new NpgsqlConnectionStringBuilder(system.AppConnectionString);
        await using var outage = new TcpOutageProxy("127.0.0.1", database.Port);
        database.Port = outage.Port;
        database.Timeout = 2;
        await system.ReplaceWorkerAsync(new Dictionary<string, string> { ["ConnectionStrings__jiraexportdb-app"] = database.ConnectionString }, Token);
        try
        {
            // Jira answers in 3 s: the database goes away while the export's search waits for it, and is back 5 s later.
            await system.InjectJiraFaultAsync(new { kind = "latency", latencyMs = 3000 }, Token);
            using var requested = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
                new { connectionId = tenant.ConnectionId, jql = "key = ALPHA-1", format = "csv", source = "live" }, Token);
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
            var id = (await requested.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
            await Polling.UntilAsync(() => system.GetJiraRequestLogAsync(Token),
                log => log.Any(r => r.Path?.Contains("search", StringComparison.Ordinal) == true), TimeSpan.FromSeconds(30), Token);
            await outage.CutAsync();
            await system.ClearJiraFaultsAsync(Token);
            await Task.Delay(TimeSpan.FromSeconds(5), Token);
            await outage.RestoreAsync();

            var finished = await tenant.WaitForExportAsync(id, e => e.Status is "succeeded" or "failed", TimeSpan.FromSeconds(60), Token);
            Assert.True(finished.Status == "succeeded", $"The export ended {finished.Status}: {finished.Error}\n{system.Worker.RecentOutput}");
            Assert.Null(await system.TakeParkedJobAsync(Token));
        }
        finally
        {
            await system.ReplaceWorkerAsync(null, Token);
        }
    }

    private async Task AssertOutageIsA503Async(TcpOutageProxy outage, Dictionary<string, string> environment)
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var api = await ServiceProcess.StartAsync("JiraExport.Api", environment, Token);
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);

        using (var before = await client.GetAsync("/api/v1/connections", Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await outage.CutAsync();
        using (var during = await client.GetAsync("/api/v1/connections", Token))
        {
            var body = await during.Content.ReadAsStringAsync(Token);
            Assert.True(during.StatusCode == HttpStatusCode.ServiceUnavailable, $"During the outage: {(int)during.StatusCode} {body}\n{api.RecentOutput}");
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
            Assert.True(during.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 503 says when to try again.");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }

        await outage.RestoreAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode after;
        do
        {
            await Task.Delay(250, Token);
            using var response = await client.GetAsync("/api/v1/connections", Token);
            after = response.StatusCode;
        }
        while (after != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, after);
    }
}
