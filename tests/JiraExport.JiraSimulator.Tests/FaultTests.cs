using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>Faults are global to a simulator, so these tests share one of their own and run one at a time.</summary>
public sealed partial class FaultTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        using var control = simulator.CreateAnonymousClient();
        await control.DeleteAsync("/_simulator/faults", TestContext.Current.CancellationToken);
        await control.DeleteAsync("/_simulator/stats", TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task RateLimitFaultCarriesRetryAfterAndStopsAfterCount()
    {
        using var client = simulator.CreateClient();
        await ArmAsync(new { kind = "429", count = 2, retryAfterSeconds = 7 }, TestContext.Current.CancellationToken);

        var first = await client.GetAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);
        var second = await client.GetAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);
        var third = await client.GetAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Matches(IsoInstantPattern(), Assert.Single(first.Headers.GetValues("X-RateLimit-Reset")));
        Assert.Contains("rate-limited", Assert.Single((await first.ReadJsonAsync(TestContext.Current.CancellationToken)).ErrorMessages()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task ServiceUnavailableFaultLastsUntilCleared()
    {
        using var client = simulator.CreateClient();
        using var control = simulator.CreateAnonymousClient();
        await ArmAsync(new { kind = "503" }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 3; i++)
        {
            var (response, body) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql = "project = ALPHA" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotEmpty(body.ErrorMessages());
        }

        await control.DeleteAsync("/_simulator/faults", TestContext.Current.CancellationToken);
        var (after, _) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql = "project = ALPHA" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task LatencyFaultDelaysButStillAnswers()
    {
        using var client = simulator.CreateClient();
        await ArmAsync(new { kind = "latency", count = 1, latencyMs = 300 }, TestContext.Current.CancellationToken);

        var watch = Stopwatch.StartNew();
        var (response, _) = await client.GetJsonAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 250, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task StatsCountRestRequestsAndFaultsAndReset()
    {
        using var client = simulator.CreateClient();
        using var control = simulator.CreateAnonymousClient();
        await ArmAsync(new { kind = "429", count = 1 }, TestContext.Current.CancellationToken);

        await client.GetAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);
        await client.GetAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var (_, stats) = await control.GetJsonAsync("/_simulator/stats", TestContext.Current.CancellationToken);
        await control.DeleteAsync("/_simulator/stats", TestContext.Current.CancellationToken);
        var (_, reset) = await control.GetJsonAsync("/_simulator/stats", TestContext.Current.CancellationToken);

        Assert.Equal(2, stats.GetProperty("requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("faultsServed").GetInt64());
        Assert.Equal(0, reset.GetProperty("requests").GetInt64());
        Assert.Equal(0, reset.GetProperty("faultsServed").GetInt64());
    }

    [Fact]
    public async Task ConcurrentRequestsUseUpACountedFaultExactly()
    {
        using var client = simulator.CreateClient();
        await ArmAsync(new { kind = "429", count = 10 }, TestContext.Current.CancellationToken);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/rest/api/3/myself", TestContext.Current.CancellationToken)));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(30, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }

    [Fact]
    public async Task UnknownFaultKindAnswers400()
    {
        using var control = simulator.CreateAnonymousClient();

        var response = await control.PostAsJsonAsync("/_simulator/faults", new { kind = "teapot" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task ArmAsync(object fault, CancellationToken cancellationToken)
    {
        using var control = simulator.CreateAnonymousClient();
        var response = await control.PostAsJsonAsync("/_simulator/faults", fault, cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex IsoInstantPattern();
}
