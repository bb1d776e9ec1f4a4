using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
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

        // The callback comes anonymously from Atlassian's redirect: the trail names the API key that started connecting
        // (the one that made the tenant's first connection too).
        using var trail = JsonDocument.Parse(await tenant.Client.GetStringAsync("/api/v1/tenant/audit-log", Token));
        var entries = trail.RootElement.GetProperty("items").EnumerateArray().ToList();
        var started = entries.Single(e => e.GetProperty("action").GetString() == "CreateConnection");
        var connected = entries.Single(e => e.GetProperty("action").GetString() == "JiraOAuthCallback");
        Assert.Equal((started.GetProperty("actorKind").GetString(), started.GetProperty("actorId").GetGuid(), 201),
            (connected.GetProperty("actorKind").GetString(), connected.GetProperty("actorId").GetGuid(), connected.GetProperty("status").GetInt32()));

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

    [Fact]
    public async Task AnOAuthConnectionGetsADynamicWebhookWhoseSignedDeliveriesAreAppliedAndWhichIsRefreshedAndFollowsTheScope()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var browser = Browser(tenant.ApiKey);
        var oauthTenant = tenant with { ConnectionId = (await ConnectOverOAuthAsync(browser, Token)).GetProperty("id").GetGuid() };
        await oauthTenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var webhookPath = $"/api/v1/connections/{oauthTenant.ConnectionId}/webhook";

        // Only a Worker that knows where Jira reaches the Api registers dynamic webhooks.
        await using var registrar = await system.StartWorkerAsync(new Dictionary<string, string>
        {
            ["DynamicWebhooks__PublicBaseUrl"] = system.Api.BaseAddress.ToString(),
            ["DynamicWebhooks__Interval"] = "00:00:00.200",
            ["DynamicWebhooks__RetryAfter"] = "00:00:00.500",
        }, Token);
        var registered = await EventuallyAsync(() => oauthTenant.Client.GetFromJsonAsync<JsonElement>(webhookPath, Token),
            webhook => webhook.GetProperty("dynamic").GetProperty("id").ValueKind == JsonValueKind.Number);
        var id = registered.GetProperty("dynamic").GetProperty("id").GetInt64();
        var inJira = Assert.Single(await DynamicWebhooksAsync(oauthTenant.ConnectionId));
        Assert.Equal(id, inJira.GetProperty("id").GetInt64());
        Assert.Equal("(project = GAMMA)", inJira.GetProperty("jqlFilter").GetString());
        var url = new Uri(inJira.GetProperty("url").GetString()!);
        Assert.Equal(new Uri(system.Api.BaseAddress, $"/api/v1/webhooks/jira/{oauthTenant.ConnectionId}"), new Uri(url.GetLeftPart(UriPartial.Path)));
        Assert.StartsWith("?key=", url.Query);

        // Jira sends a change with a JWT of our app, not a signature; the Worker applies it.
        var issue = (await oauthTenant.ListStoredIssuesAsync(string.Empty, Token))[1];
        await system.EditJiraIssueAsync(issue.Key, "Edited under OAuth", Token);
        await EventuallyAsync(() => oauthTenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{issue.Key}?connectionId={oauthTenant.ConnectionId}", Token),
            stored => stored.GetProperty("issue").GetProperty("summary").GetString() == "Edited under OAuth");

        // A JWT signed with any other key, none at all, one meant to live for days, and even Jira's own token without this
        // connection's key (it names no connection: it could be one captured from another tenant's deliveries) are refused.
        using var anonymous = system.CreateApiClient();
        var path = $"/api/v1/webhooks/jira/{oauthTenant.ConnectionId}";
        var appSecret = JiraSimulator.OAuth.OAuthClientOptions.TestClientSecret;
        foreach (var (target, authorization) in new[]
                 {
                     (path + url.Query, Jwt("not-our-client-secret")), (path + url.Query, Jwt(secret: null)),
                     (path + url.Query, Jwt(appSecret, lifetime: TimeSpan.FromDays(2))), (path + url.Query, string.Empty),
                     (path, Jwt(appSecret)), (path + "?key=guessed", Jwt(appSecret)),
                 })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await DeliverWithJwtAsync(anonymous, target, authorization, issue));
        }

        Assert.Equal(HttpStatusCode.Accepted, await DeliverWithJwtAsync(anonymous, path + url.Query, Jwt(appSecret), issue));

        // Close to its expiry, it is refreshed: the same webhook, 30 days again.
        await system.ExecuteAsOwnerAsync("UPDATE jira_connections SET dynamic_webhook_expires_at = now() + interval '1 day' WHERE id = @id",
            new Dictionary<string, object> { ["id"] = oauthTenant.ConnectionId }, Token);
        var refreshed = await EventuallyAsync(() => oauthTenant.Client.GetFromJsonAsync<JsonElement>(webhookPath, Token),
            webhook => webhook.GetProperty("dynamic").GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Equal(id, refreshed.GetProperty("dynamic").GetProperty("id").GetInt64());
        Assert.True((await DynamicWebhooksAsync(oauthTenant.ConnectionId)).Single().GetProperty("expirationDate").GetInt64() > DateTimeOffset.UtcNow.AddDays(29).ToUnixTimeMilliseconds());

        // A new default scope Jira cannot filter on: the old webhook goes, a new one follows the connection's projects.
        using (var schedule = await oauthTenant.Client.PutAsJsonAsync($"/api/v1/connections/{oauthTenant.ConnectionId}/schedule",
                   new { cron = "0 3 * * *", jql = "project = GAMMA AND updated >= -3650d" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
        }

        var moved = await EventuallyAsync(() => oauthTenant.Client.GetFromJsonAsync<JsonElement>(webhookPath, Token),
            webhook => webhook.GetProperty("dynamic").GetProperty("id").ValueKind == JsonValueKind.Number
                       && webhook.GetProperty("dynamic").GetProperty("id").GetInt64() != id);
        Assert.Equal(JsonValueKind.Null, moved.GetProperty("dynamic").GetProperty("error").ValueKind);
        var followed = Assert.Single(await DynamicWebhooksAsync(oauthTenant.ConnectionId));
        Assert.StartsWith("project in (", followed.GetProperty("jqlFilter").GetString());
    }

    /// <summary>A JWT as Jira's, signed HS256 with <paramref name="secret"/>, or unsigned (<c>alg: none</c>) without one.</summary>
    private static string Jwt(string? secret, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expires = now + (long)(lifetime ?? TimeSpan.FromMinutes(3)).TotalSeconds;
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(secret is null ? """{"alg":"none","typ":"JWT"}""" : """{"alg":"HS256","typ":"JWT"}"""));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"iss":"jira","iat":{{now}},"exp":{{expires}}}"""));
        var signature = secret is null
            ? string.Empty
            : Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static async Task<HttpStatusCode> DeliverWithJwtAsync(HttpClient jira, string target, string jwt, StoredIssue issue)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(JiraWebhookClient.IssueUpdated(issue.Id, issue.Key, "Sent")) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (jwt.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        }

        using var response = await jira.SendAsync(request, Token);
        return response.StatusCode;
    }

    /// <summary>The dynamic webhooks registered in the simulator for <paramref name="connectionId"/> (other tests' connections have theirs).</summary>
    private async Task<List<JsonElement>> DynamicWebhooksAsync(Guid connectionId)
    {
        using var simulator = system.CreateSimulatorClient();
        return [.. (await simulator.GetFromJsonAsync<JsonElement>("/_simulator/webhooks/dynamic", Token)).GetProperty("values").EnumerateArray()
            .Where(webhook => webhook.GetProperty("url").GetString()!.Contains($"/webhooks/jira/{connectionId}?", StringComparison.Ordinal))];
    }

    /// <summary>Reads until <paramref name="done"/> holds (30 s at most); fails with the last read otherwise.</summary>
    private static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var last = await Polling.UntilAsync(read, done, TimeSpan.FromSeconds(30), Token);
        Assert.True(done(last), last.ToString());
        return last;
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
