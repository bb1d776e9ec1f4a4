using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The flow charts over the hand-made November histories (see <see cref="FlowMetricsTests"/>), as data and as SVG.</summary>
public sealed class FlowChartTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Query = "project=FLOW&from=2026-11-01&to=2026-11-30";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheCycleTimeScatterDrawsEachFinishedItemWithThePercentileLines()
    {
        var tenant = await ArrangeAsync();

        var chart = await GetChartAsync(tenant, "cycle-time-scatter");
        var points = chart["series"]![0]!["points"]!.AsArray()
            .Select(p => ((string)p!["issueKey"]!, (string)p["date"]!, (double)p["value"]!)).ToList();
        Assert.Equal(
            [("FLOW-8", "2026-11-03", 10.0), ("FLOW-1", "2026-11-05", 4.0), ("FLOW-3", "2026-11-09", 3.0), ("FLOW-9", "2026-11-09", 8.0), ("FLOW-4", "2026-11-10", 1.0), ("FLOW-2", "2026-11-12", 10.0)],
            points);
        Assert.Equal(["50%:4", "70%:10", "85%:10", "95%:10"], chart["markers"]!.AsArray().Select(m => $"{(string)m!["label"]!}:{(double)m["value"]!}"));
    }

    [Fact]
    public async Task TheCumulativeFlowStacksFinishedInProgressAndTheRestAtTheEndOfEachDay()
    {
        var tenant = await ArrangeAsync();

        var chart = await GetChartAsync(tenant, "cumulative-flow");
        var bands = chart["series"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!["points"]!.AsArray().ToDictionary(p => (string)p!["date"]!, p => (double)p!["value"]!));
        // 1st: H is in progress; A and I were created that morning. 9th: H, A, C, I finished, B in progress, D waiting.
        // 30th: six finished, E in progress, F (moved back) and G waiting.
        Assert.Equal((0.0, 1.0, 2.0), (bands["Finished"]["2026-11-01"], bands["In progress"]["2026-11-01"], bands["To do"]["2026-11-01"]));
        Assert.Equal((4.0, 1.0, 1.0), (bands["Finished"]["2026-11-09"], bands["In progress"]["2026-11-09"], bands["To do"]["2026-11-09"]));
        Assert.Equal((6.0, 1.0, 2.0), (bands["Finished"]["2026-11-30"], bands["In progress"]["2026-11-30"], bands["To do"]["2026-11-30"]));
    }

    [Fact]
    public async Task AgingWipPutsEachItemInItsStatusColumnUnderTheCycleTimePercentiles()
    {
        var tenant = await ArrangeAsync();

        var chart = await GetChartAsync(tenant, "aging-wip");
        var point = Assert.Single(chart["series"]![0]!["points"]!.AsArray())!;
        Assert.Equal(("FLOW-5", "In Progress"), ((string)point["issueKey"]!, (string)point["category"]!));
        Assert.Equal(4, chart["markers"]!.AsArray().Count);
    }

    [Fact]
    public async Task TheSvgIsOneWellFormedImageThatDrawsAHostileStatusNameAsText()
    {
        var tenant = await ArrangeAsync();
        // A Jira whose status is named like markup, and an issue created in it (so in progress now).
        var at = new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["connection"] = tenant.ConnectionId };
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_statuses (tenant_id, connection_id, status_id, name, category, synced_at)
            VALUES (@tenant, @connection, '6', '<script>alert(1)</script>', 'indeterminate', now());
            INSERT INTO jira_issues (tenant_id, connection_id, issue_id, key, project_key, summary, issue_type, status_id, status_name,
                status_category, created, updated, fields, changelog, sync_revision, synced_at)
            VALUES (@tenant, @connection, 110, 'FLOW-10', 'FLOW', 'x', 'Story', '6', '<script>alert(1)</script>', 'indeterminate',
                '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z', '{}', '[]', 1, now());
            """, at, Token);

        using var response = await tenant.Client.GetAsync($"/api/v1/analytics/charts/aging-wip/svg?{Query}", Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), e => e.Value.StartsWith("<script>", StringComparison.Ordinal));
        Assert.Equal(2, svg.Descendants().Count(e => e.Name.LocalName == "circle"));

        using var scatter = await tenant.Client.GetAsync($"/api/v1/analytics/charts/cycle-time-scatter/svg?{Query}", Token);
        var circles = XDocument.Parse(await scatter.Content.ReadAsStringAsync(Token)).Descendants().Count(e => e.Name.LocalName == "circle");
        Assert.Equal(6, circles);
    }

    [Fact]
    public async Task AChartThatIsNotOneIsNotFound()
    {
        var tenant = await ArrangeAsync();

        using var response = await tenant.Client.GetAsync("/api/v1/analytics/charts/pie", Token);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("cumulative-flow", (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["detail"]!);
    }

    private async Task<TestTenant> ArrangeAsync()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, FlowHistories.November, Token);
        return tenant;
    }

    private async Task<JsonObject> GetChartAsync(TestTenant tenant, string kind)
    {
        using var response = await tenant.Client.GetAsync($"/api/v1/analytics/charts/{kind}?{Query}", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token) + system.Api.RecentOutput);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        Assert.EndsWith($"/analytics/charts/{kind}/svg?{Query}", (string)body["svg"]!);
        return body["chart"]!.AsObject();
    }
}
