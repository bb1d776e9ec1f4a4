using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The dashboard page in a real browser: Debian's Chromium driven by Playwright.</summary>
public sealed partial class DashboardTests
{
    /// <summary>The headless shell the Worker prints PDFs with (eng/bootstrap.sh installs it).</summary>
    private const string Chromium = "/usr/lib/chromium/chromium-headless-shell";

    private const string HostileName = "Delta <img src=x onerror=\"document.title='owned'\"> live";

    [Fact]
    public async Task APersonSignedInToTheDashboardPageSeesTheCounterAndTheChartMoveWhenAnIssueMovesInJira()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA" }, Token);
        var email = $"viewer@{tenant.TenantId:N}.example.com";
        using (var accepted = await system.InviteAndAcceptAsync(tenant.Client, email, "viewer", UserAccounts.Password, Token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var created = await tenant.Client.PostAsJsonAsync("/api/v2/analytics/dashboards", new
        {
            name = HostileName,
            widgets = new object[]
            {
                new { kind = "metric", name = "wip", title = "<script>document.title='owned'</script>", projects = new[] { "DELTA" } },
                new { kind = "chart", name = "aging-wip", title = "Aging WIP", projects = new[] { "DELTA" } },
            },
        }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var moved = (await system.ReadAsOwnerAsync(
            "SELECT key FROM jira_issues WHERE connection_id = @c AND status_category = 'new' ORDER BY issue_id LIMIT 1",
            new Dictionary<string, object> { ["c"] = tenant.ConnectionId }, Token)).Single();
        var webhookUrl = (string)(await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/connections/{tenant.ConnectionId}/webhook", Token))!["url"]!;
        var secret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        // The charts the page reads, passed through as the Api answered them (the page shows each from a blob: URL).
        var charts = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await page.RouteAsync("**/data?svg=true", async route =>
        {
            var response = await route.FetchAsync();
            charts.Enqueue((string)JsonNode.Parse(await response.TextAsync())!["widgets"]![1]!["svg"]!);
            await route.FulfillAsync(new() { Response = response });
        });

        await page.GotoAsync(new Uri(system.Api.BaseAddress, "/dashboard/").ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(UserAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var expect = new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 };
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live", expect);
        // Names a colleague wrote are text on the page, never markup (a script or a handler would also break its policy).
        await Assertions.Expect(page.Locator("#dashboard-name")).ToHaveTextAsync(HostileName);
        await Assertions.Expect(page.Locator(".widget[data-index='0'] h3")).ToHaveTextAsync("<script>document.title='owned'</script>");
        var inProgress = page.Locator("#counter-issuesInProgress");
        var before = int.Parse(await inProgress.TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var wipBefore = await page.Locator(".widget[data-index='0'] .figure").TextContentAsync();
        var chartBefore = await ChartAsync(page, charts);
        var imageBefore = await page.Locator(".widget[data-index='1'] img").GetAttributeAsync("src");
        Assert.Contains("<svg", chartBefore);
        Assert.DoesNotContain($"<title>{moved}: ", chartBefore);

        // Jira moves a to-do issue into progress and tells its webhook; the page hears the counter and reads the chart again.
        using var simulator = system.CreateSimulatorClient();
        using (var registered = await simulator.PostAsJsonAsync("/_simulator/webhooks", new { url = webhookUrl, secret }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }

        try
        {
            await system.TransitionJiraIssueAsync(moved, "In Progress", Token);
            await Assertions.Expect(inProgress).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), expect);
            var chartAfter = await Polling.UntilAsync(() => ChartAsync(page, charts), svg => svg.Contains($"<title>{moved}: ", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), Token);
            Assert.NotEqual(chartBefore, chartAfter);
            await Assertions.Expect(page.Locator(".widget[data-index='1'] img")).Not.ToHaveAttributeAsync("src", imageBefore!);
            Assert.Equal(chartAfter, await ChartAsync(page, charts));
            Assert.Equal(int.Parse(wipBefore!, System.Globalization.CultureInfo.InvariantCulture) + 1,
                int.Parse(await page.Locator(".widget[data-index='0'] .figure").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            using var removed = await simulator.DeleteAsync("/_simulator/webhooks", CancellationToken.None);
        }

        // The page ran under its own policy: nothing refused, nothing thrown, nothing injected.
        Assert.Empty(problems);
        Assert.Equal("JiraExport dashboard", await page.TitleAsync());
    }

    /// <summary>The aging-WIP widget's SVG the page shows now: the last one it read, once drawn as its image.</summary>
    private static async Task<string> ChartAsync(IPage page, System.Collections.Concurrent.ConcurrentQueue<string> charts)
    {
        var image = page.Locator(".widget[data-index='1'] img");
        await Assertions.Expect(image).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        Assert.True(await image.EvaluateAsync<bool>("image => image.complete && image.naturalWidth > 0"), "The chart image did not draw.");
        return charts.Last();
    }
}
