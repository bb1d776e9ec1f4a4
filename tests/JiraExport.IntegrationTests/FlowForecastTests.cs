using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Monte Carlo forecasts over the hand-made November histories: reproducible by their seed, exact where the history leaves no chance.</summary>
public sealed class FlowForecastTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AForecastNamesItsSeedAndTheSameSeedGivesTheSameAnswer()
    {
        var tenant = await ArrangeAsync();
        const string history = "project=FLOW&from=2026-11-01&to=2026-11-30";

        var drawn = await GetAsync(tenant, $"when?items=20&{history}");
        var seed = (long)drawn["seed"]!;
        var again = await GetAsync(tenant, $"when?items=20&{history}&seed={seed}");
        Assert.Equal(drawn["days"]!.ToJsonString(), again["days"]!.ToJsonString());
        Assert.Equal(drawn["dates"]!.ToJsonString(), again["dates"]!.ToJsonString());
        Assert.Equal(10_000, (int)drawn["trials"]!);

        var until = Today().AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var howMany = await GetAsync(tenant, $"how-many?until={until}&{history}&seed=42");
        Assert.Equal(howMany.ToJsonString(), (await GetAsync(tenant, $"how-many?until={until}&{history}&seed=42")).ToJsonString());
    }

    [Fact]
    public async Task AHistoryOfOneDayGivesTheAnswerAPersonWouldWorkOut()
    {
        var tenant = await ArrangeAsync();
        // C and I finished on 9 November: two a day, every day.
        const string history = "project=FLOW&from=2026-11-09&to=2026-11-09";

        var when = await GetAsync(tenant, $"when?items=10&{history}");
        Assert.Equal("""{"p50":5,"p85":5,"p95":5}""", when["days"]!.ToJsonString());
        // The first day counted is the start (today, as the Api saw it).
        var fifthDay = DateOnly.Parse((string)when["start"]!, CultureInfo.InvariantCulture).AddDays(4);
        Assert.Equal(fifthDay, DateOnly.Parse((string)when["dates"]!["p95"]!, CultureInfo.InvariantCulture));

        var until = Today().AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var howMany = await GetAsync(tenant, $"how-many?until={until}&{history}");
        // Ten days from today up to the date, both counted (nine should the Api's day have turned meanwhile).
        var days = (int)howMany["days"]!;
        Assert.Contains(days, new[] { 9, 10 });
        Assert.Equal($$"""{"p50":{{2 * days}},"p85":{{2 * days}},"p95":{{2 * days}}}""", howMany["items"]!.ToJsonString());
    }

    [Fact]
    public async Task AWindowInWhichNothingFinishedCannotSayWhen()
    {
        var tenant = await ArrangeAsync();

        using var empty = await tenant.Client.GetAsync("/api/v1/analytics/forecast/when?items=5&project=FLOW&from=2026-10-01&to=2026-10-31", Token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("widen the history", (string)(await empty.Content.ReadFromJsonAsync<JsonObject>(Token))!["detail"]!);
    }

    [Fact]
    public async Task ForecastsRefuseNoItemsAndDatesInThePast()
    {
        var tenant = await ArrangeAsync();

        using var none = await tenant.Client.GetAsync("/api/v1/analytics/forecast/when?items=0", Token);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        using var past = await tenant.Client.GetAsync("/api/v1/analytics/forecast/how-many?until=2020-01-01", Token);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
    }

    private async Task<TestTenant> ArrangeAsync()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, FlowHistories.November, Token);
        return tenant;
    }

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<JsonObject> GetAsync(TestTenant tenant, string query)
    {
        using var response = await tenant.Client.GetAsync($"/api/v1/analytics/forecast/{query}", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token) + system.Api.RecentOutput);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
    }
}
