using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Connecting a Cloud site over OAuth 2.0 (3LO) against the simulator's authorization server, then syncing through
/// the gateway while refresh tokens rotate under concurrent use.
/// </summary>
public sealed class JiraOAuthTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASiteConnectedOverOAuthSyncsAndItsRotatingRefreshTokenIsNeverSpentTwice()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var browser = Browser(tenant.ApiKey);
        var connection = await ConnectOverOAuthAsync(browser, Token);
        Assert.Equal("oauth", connection.GetProperty("authType").GetString());
        Assert.EndsWith("/ex/jira/5b6c2f0e-7d1a-4c3e-9f8b-2a4d6e8c0b13", connection.GetProperty("baseUrl").GetString());
        var oauthTenant = tenant with { ConnectionId = connection.GetProperty("id").GetGuid() };

        // A sync and, at the same time, health checks and connection tests: each use may refresh, one at a time.
        const string scope = "project = DELTA AND issuetype = Task";
        var expected = await system.CountJiraIssuesAsync(scope, Token);
        var sync = oauthTenant.StartSyncAsync(new { mode = "full", jql = scope }, Token);
        var probes = Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = i % 2 == 0
                ? await oauthTenant.Client.GetAsync($"/api/v1/connections/{oauthTenant.ConnectionId}/health", Token)
                : await oauthTenant.Client.PostAsync($"/api/v1/connections/{oauthTenant.ConnectionId}/test", null, Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
            Assert.True(body.TryGetProperty("ok", out var ok) ? ok.GetBoolean() : body.GetProperty("status").GetString() == "healthy", body.ToString());
        }).ToList();
        await Task.WhenAll(probes);
        var job = await oauthTenant.WaitForSyncAsync((await sync).JobId, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(2), Token);

        Assert.True(job.Status == "succeeded", $"The sync through the gateway failed: {job}");
        Assert.Equal(expected, job.IssuesWritten);
        var stats = await OAuthStatsAsync();
        Assert.True(stats.GetProperty("refreshes").GetInt32() >= 3, stats.ToString());
        Assert.Equal(0, stats.GetProperty("refreshTokenReuses").GetInt32());
    }

    [Fact]
    public async Task TheCallbackRefusesAnotherBrowserADeniedConsentAndASpentCode()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var browser = Browser(tenant.ApiKey);
        var (code, state) = await AuthorizeAsync(browser, Token);

        // Another browser (no cookie) cannot finish what this one started.
        using var stranger = Browser(tenant.ApiKey);
        await AssertRefusedAsync(stranger, code, state, "another browser");

        using var connected = await browser.GetAsync(Callback(code, state), Token);
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);

        // The same code again: Atlassian spends codes once (and the browser's cookie is gone).
        var (_, secondState) = await AuthorizeAsync(browser, Token);
        await AssertRefusedAsync(browser, code, secondState, "refused the authorization");

        using (var simulator = system.CreateSimulatorClient())
        {
            using var deny = await simulator.PostAsync("/_simulator/oauth/deny-next", null, Token);
            deny.EnsureSuccessStatusCode();
        }

        var denied = await StartAsync(browser, Token);
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await noRedirect.GetAsync(denied, Token);
        var query = HttpUtility.ParseQueryString(consent.Headers.Location!.Query);
        Assert.Equal("access_denied", query["error"]);
        using var refused = await browser.GetAsync(
            $"/api/v1/connections/oauth/callback?error=access_denied&error_description={Uri.EscapeDataString(query["error_description"] ?? "")}&state={Uri.EscapeDataString(query["state"]!)}",
            Token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("access_denied", await refused.Content.ReadAsStringAsync(Token));
    }

    private HttpClient Browser(string apiKey)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = system.Api.BaseAddress,
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    private static async Task<Uri> StartAsync(HttpClient browser, CancellationToken cancellationToken)
    {
        using var start = await browser.PostAsJsonAsync("/api/v1/connections/oauth/start", new { name = "Cloud over OAuth" }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        return (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("authorizeUrl").GetString() is { } url
            ? new Uri(url)
            : throw new InvalidOperationException("No authorizeUrl.");
    }

    /// <summary>What the browser does: start, follow Atlassian's consent (the simulator consents by itself), read the callback.</summary>
    private static async Task<(string Code, string State)> AuthorizeAsync(HttpClient browser, CancellationToken cancellationToken)
    {
        var authorize = await StartAsync(browser, cancellationToken);
        using var atlassian = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await atlassian.GetAsync(authorize, cancellationToken);
        Assert.Equal(HttpStatusCode.Found, consent.StatusCode);
        var query = HttpUtility.ParseQueryString(consent.Headers.Location!.Query);
        return (query["code"]!, query["state"]!);
    }

    private static async Task<JsonElement> ConnectOverOAuthAsync(HttpClient browser, CancellationToken cancellationToken)
    {
        var (code, state) = await AuthorizeAsync(browser, cancellationToken);
        using var callback = await browser.GetAsync(Callback(code, state), cancellationToken);
        Assert.True(callback.StatusCode == HttpStatusCode.Created, await callback.Content.ReadAsStringAsync(cancellationToken));
        return await callback.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private static string Callback(string code, string state) =>
        $"/api/v1/connections/oauth/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}";

    private static async Task AssertRefusedAsync(HttpClient browser, string code, string state, string because)
    {
        using var response = await browser.GetAsync(Callback(code, state), Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(because, await response.Content.ReadAsStringAsync(Token), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<JsonElement> OAuthStatsAsync()
    {
        using var simulator = system.CreateSimulatorClient();
        return await simulator.GetFromJsonAsync<JsonElement>("/_simulator/oauth/stats", Token);
    }
}
