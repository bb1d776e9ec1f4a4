using System.Net;
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
