using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Dashboards of flow widgets over the hand-made November histories (see <see cref="FlowMetricsTests"/>).</summary>
public sealed partial class DashboardTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    /// <summary>Long enough that November 2026 stays inside "the last N days" for years.</summary>
    private const int Window = 1000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachWidgetAnswersWithTheSameFiguresAsTheAnalyticsApiAndAWidgetWhoseQueryBrokeSaysWhy()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, FlowHistories.November, Token);
        using var definition = await tenant.Client.PostAsJsonAsync("/api/v1/analytics/definitions", new
        {
            name = "short-lived", rules = new { start = new { category = "indeterminate", crossing = "first" }, end = new { category = "done", crossing = "last" }, days = "calendar", counting = "inclusive" },
        }, Token);
        var definitionId = (Guid)(await definition.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!;
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/analytics/dashboards", new
        {
            name = "Team FLOW",
            widgets = new object[]
            {
                new { kind = "metric", name = "cycle-time", title = "Cycle time", projects = new[] { "flow" }, windowDays = Window },
                new { kind = "chart", name = "aging-wip", projects = new[] { "FLOW" }, windowDays = Window },
                new { kind = "metric", name = "throughput", definitionId, projects = new[] { "FLOW" }, windowDays = Window },
            },
        }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dashboard = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        using (var deleted = await tenant.Client.DeleteAsync($"/api/v1/analytics/definitions/{definitionId}", Token))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        using var response = await tenant.Client.GetAsync((string)dashboard["data"]!, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token) + system.Api.RecentOutput);
        var widgets = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["widgets"]!.AsArray();

        // The six FLOW items finished in November: 10, 4, 3, 8, 1 and 10 days (worked out in FlowMetricsTests).
        var cycle = widgets[0]!;
        Assert.Equal(("Cycle time", 6, 4, 10), ((string)cycle["title"]!, (int)cycle["count"]!, (int)cycle["distribution"]!["p50"]!, (int)cycle["distribution"]!["p85"]!));
        Assert.Equal("default", (string)cycle["basis"]!["definitionName"]!);
        var aging = widgets[1]!;
        Assert.Equal(("aging-wip", "FLOW-5"), ((string)aging["title"]!, (string)aging["chart"]!["series"]![0]!["points"]![0]!["issueKey"]!));
        // The deleted definition: this widget says so; the others answered.
        var broken = widgets[2]!;
        Assert.Null(broken["count"]);
        Assert.Contains($"No flow definition {definitionId}", (string)broken["problem"]!);

        // The chart widget as the SVG the chart endpoints draw, with the data or alone; a figure is no chart.
        var drawn = (await tenant.Client.GetFromJsonAsync<JsonObject>((string)dashboard["data"]! + "?svg=true", Token))!["widgets"]!.AsArray();
        Assert.Contains("<title>FLOW-5: ", (string)drawn[1]!["svg"]!);
        Assert.Null(drawn[0]!["svg"]);
        Assert.Null(widgets[1]!["svg"]);
        using var svg = await tenant.Client.GetAsync($"/api/v1/analytics/dashboards/{dashboard["id"]}/widgets/1/svg", Token);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>FLOW-5: ", await svg.Content.ReadAsStringAsync(Token));
        using var figure = await tenant.Client.GetAsync($"/api/v1/analytics/dashboards/{dashboard["id"]}/widgets/0/svg", Token);
        Assert.Equal(HttpStatusCode.NotFound, figure.StatusCode);
        Assert.Contains("chart widgets are at 1", await figure.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task ADashboardIsTheTenantsAndItsMistakesAreRefusedWithWhatToChange()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var bad = await tenant.Client.PostAsJsonAsync("/api/v1/analytics/dashboards", new
        {
            name = "", widgets = new object[] { new { kind = "metric", name = "velocity-of-light" }, new { kind = "pie", name = "wip" } },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["name", "widgets[0]", "widgets[1]"],
            (await bad.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/analytics/dashboards",
            new { name = "Mine", widgets = new[] { new { kind = "metric", name = "wip" } } }, Token);
        var id = (Guid)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!;
        using var renamed = await tenant.Client.PutAsJsonAsync($"/api/v1/analytics/dashboards/{id}",
            new { name = "Ours", widgets = new[] { new { kind = "chart", name = "cumulative-flow" } } }, Token);
        Assert.Equal(("Ours", "cumulative-flow"), ((string)(await renamed.Content.ReadFromJsonAsync<JsonObject>(Token))!["name"]!,
            (string)(await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/analytics/dashboards/{id}", Token))!["widgets"]![0]!["name"]!));

        var other = await system.CreateTenantAsync(Token);
        using var foreign = await other.Client.GetAsync($"/api/v1/analytics/dashboards/{id}/data", Token);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Empty((await other.Client.GetFromJsonAsync<JsonArray>("/api/v1/analytics/dashboards", Token))!);

        using var key = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "exports only", scopes = new[] { "exports:read" } }, Token);
        var exportsOnlyKey = (string)(await key.Content.ReadFromJsonAsync<JsonObject>(Token))!["key"]!;
        using var exportsOnly = system.CreateApiClient(exportsOnlyKey);
        using var refused = await exportsOnly.GetAsync($"/api/v1/analytics/dashboards/{id}/data", Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The live counters: where the issues stand only with analytics:read, the rest with exports:read.
        await using var withAnalytics = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        var counters = await withAnalytics.Connection.InvokeAsync<JsonElement>("SubscribeToDashboard", Token);
        Assert.Equal(0, counters.GetProperty("flow").GetProperty("issuesInProgress").GetInt32());
        await using var withoutAnalytics = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, exportsOnlyKey, Token);
        counters = await withoutAnalytics.Connection.InvokeAsync<JsonElement>("SubscribeToDashboard", Token);
        Assert.Equal((JsonValueKind.Null, 0), (counters.GetProperty("flow").ValueKind, counters.GetProperty("exportsQueued").GetInt32()));

        // Issues arrive: the analytics watcher hears where they stand; the other hears nothing, not even that something moved.
        var analyticsHeard = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        var othersHeard = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        withAnalytics.Connection.On<JsonElement>("dashboardCounters", c => analyticsHeard.Writer.TryWrite(c));
        withoutAnalytics.Connection.On<JsonElement>("dashboardCounters", c => othersHeard.Writer.TryWrite(c));
        await system.LoadAsync(tenant, FlowHistories.November, Token);
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            while ((await analyticsHeard.Reader.ReadAsync(deadline.Token)).GetProperty("flow").GetProperty("issuesDone").GetInt32() == 0)
            {
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1), Token); // five more rounds of the publisher
        Assert.False(othersHeard.Reader.TryRead(out var leaked), $"A watcher without analytics:read heard {leaked}.");

        // Browsers may call the hub from the Api's page, and from no other origin.
        Assert.Equal(system.Api.BaseAddress.GetLeftPart(UriPartial.Authority), await AllowedOriginAsync(system.Api.BaseAddress.GetLeftPart(UriPartial.Authority)));
        Assert.Null(await AllowedOriginAsync("https://attacker.example"));
    }

    /// <summary>What Realtime answers a browser's preflight of the hub's negotiate from <paramref name="origin"/>.</summary>
    private async Task<string?> AllowedOriginAsync(string origin)
    {
        using var client = new HttpClient { BaseAddress = system.Realtime.BaseAddress };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/hubs/exports/negotiate?negotiateVersion=1");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-requested-with,x-signalr-user-agent");
        using var response = await client.SendAsync(preflight, Token);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null;
    }
}
