using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// What the Api caches (credentials, tenant state, reads) stays correct across instances: a revocation on one instance is
/// refused by a second one before the revocation is even answered, a write or a Jira webhook's change on one is read on
/// the other, and a cached read is only ever its own tenant's.
/// </summary>
public sealed class CacheTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARevocationOnOneInstanceIsRefusedByTheOtherTheMomentItIsAnswered()
    {
        await using var second = await ServiceProcess.StartAsync("JiraExport.Api", system.ApiEnvironment(), Token);
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var leaving = await system.SignInAsync(account, Token);
        using var created = await owner.PostAsJsonAsync("/api/v1/api-keys", new { name = "ci", scopes = new[] { "exports:read" } }, Token);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>(Token);

        using var sessionOnSecond = Client(second, bearer: leaving.AccessToken);
        using var keyOnSecond = Client(second, apiKey: key.GetProperty("key").GetString()!);
        using var ownerOnSecond = Client(second, bearer: (await system.SignInAsync(account, Token)).AccessToken);
        // Each credential and the tenant's state are now cached on the second instance.
        foreach (var client in new[] { sessionOnSecond, keyOnSecond, ownerOnSecond, sessionOnSecond, keyOnSecond })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(client, "/api/v1/tenant"));
        }

        using (var revoked = await owner.DeleteAsync($"/api/v1/api-keys/{key.GetProperty("apiKey").GetProperty("id").GetGuid()}", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(keyOnSecond, "/api/v1/tenant"));

        using var leavingOnFirst = system.CreateUserClient(leaving.AccessToken);
        using (var loggedOut = await leavingOnFirst.PostAsync("/api/v1/auth/logout", null, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(sessionOnSecond, "/api/v1/tenant"));

        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using (var suspended = await admin.PostAsync($"/api/v1/tenants/{account.TenantId}/suspend", null, Token))
        {
            Assert.True(suspended.IsSuccessStatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfAsync(ownerOnSecond, "/api/v1/tenant"));
    }

    [Fact]
    public async Task ARotatedJiraWebhookSecretADeletedConnectionAndASuspendedTenantAreRefusedByTheOtherInstanceAtOnce()
    {
        await using var second = await ServiceProcess.StartAsync("JiraExport.Api", system.ApiEnvironment(), Token);
        using var jiraToSecond = Client(second);
        var tenant = await system.CreateTenantAsync(Token);
        var old = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        var delivery = 0;
        // The second instance has the connection's target (tenant and secret) cached after the first delivery.
        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(jiraToSecond, tenant.ConnectionId, old, ++delivery));
        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(jiraToSecond, tenant.ConnectionId, old, ++delivery));

        var rotated = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(jiraToSecond, tenant.ConnectionId, old, ++delivery));
        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(jiraToSecond, tenant.ConnectionId, rotated, ++delivery));

        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using (var suspended = await admin.PostAsync($"/api/v1/tenants/{tenant.TenantId}/suspend", null, Token))
        {
            Assert.True(suspended.IsSuccessStatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(jiraToSecond, tenant.ConnectionId, rotated, ++delivery));
        using (var resumed = await admin.PostAsync($"/api/v1/tenants/{tenant.TenantId}/resume", null, Token))
        {
            Assert.True(resumed.IsSuccessStatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(jiraToSecond, tenant.ConnectionId, rotated, ++delivery));
        using (var deleted = await tenant.Client.DeleteAsync($"/api/v1/connections/{tenant.ConnectionId}", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(jiraToSecond, tenant.ConnectionId, rotated, ++delivery));
    }

    [Fact]
    public async Task AStartingInstanceHasTheStateAndKeysOfRecentlyActiveTenantsInMemoryBeforeItsFirstRequest()
    {
        var active = await system.CreateTenantAsync(Token);
        var idle = await system.CreateTenantAsync(Token);
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(active.Client, "/api/v1/tenant"));
        foreach (var tenant in new[] { active, idle })
        {
            var parameters = new Dictionary<string, object> { ["t"] = tenant.TenantId };
            await Polling.UntilAsync(() => system.ReadAsOwnerAsync("SELECT tenant_id::text FROM tenant_usage_days WHERE tenant_id = @t", parameters, Token),
                rows => rows.Count > 0, TimeSpan.FromSeconds(20), Token);
        }

        // The idle tenant made no request since yesterday and its key was last used an hour ago.
        var idleParameters = new Dictionary<string, object> { ["t"] = idle.TenantId };
        await system.ExecuteAsOwnerAsync("DELETE FROM tenant_usage_days WHERE tenant_id = @t", idleParameters, Token);
        await system.ExecuteAsOwnerAsync("UPDATE api_keys SET last_used_at = now() - interval '1 hour' WHERE tenant_id = @t", idleParameters, Token);

        await using var second = await ServiceProcess.StartAsync("JiraExport.Api", system.ApiEnvironment(), Token);

        // Both tenants are suspended and their keys revoked behind the Api's back (no revocation is sent): an instance
        // still answering the active tenant's key had the key and the tenant's state in memory before it was asked.
        foreach (var tenant in new[] { active, idle })
        {
            var parameters = new Dictionary<string, object> { ["t"] = tenant.TenantId };
            await system.ExecuteAsOwnerAsync("UPDATE tenants SET status = 'Suspended' WHERE id = @t", parameters, Token);
            await system.ExecuteAsOwnerAsync("UPDATE api_keys SET revoked_at = now() WHERE tenant_id = @t", parameters, Token);
        }

        using var activeOnSecond = Client(second, apiKey: active.ApiKey);
        using var idleOnSecond = Client(second, apiKey: idle.ApiKey);
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(activeOnSecond, "/api/v1/tenant"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(idleOnSecond, "/api/v1/tenant"));
    }

    [Fact]
    public async Task AJiraWebhooksChangeEvictsTheCachedReadOnASecondInstance()
    {
        await using var second = await ServiceProcess.StartAsync("JiraExport.Api", system.ApiEnvironment(), Token);
        var tenant = await system.CreateTenantAsync(Token);
        // Readers race below at full speed, far over the default plan's requests per minute.
        await ChangePlanAsync(tenant.TenantId, maxApiRequestsPerMinute: 1_000_000);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var issue = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[3];
        var secret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        using var reader = Client(second, apiKey: tenant.ApiKey);
        var path = $"/api/v1/issues/{issue.Key}?connectionId={tenant.ConnectionId}";
        var before = await SummaryAsync(reader, path);

        // Changed behind the Api's back (no event): the second instance still answers from its cache.
        await system.ExecuteAsOwnerAsync("UPDATE jira_issues SET summary = 'Changed behind the cache' WHERE connection_id = @c AND key = @k",
            new Dictionary<string, object> { ["c"] = tenant.ConnectionId, ["k"] = issue.Key }, Token);
        Assert.Equal(before, await SummaryAsync(reader, path));
        // A parameter the endpoint does not take is answered without the cache, so made-up ones cannot fill it.
        Assert.Equal("Changed behind the cache", await SummaryAsync(reader, path + "&made-up=1"));

        // Jira changes it eight times and tells the first instance each time; the Worker applies it. Meanwhile readers keep
        // reading on the second: one that read the database just before a change committed must not leave its answer
        // cached after the change's eviction, where it would stand until it expires (a minute).
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var readers = Enumerable.Range(0, 6).Select(_ => ReadUntilStoppedAsync(reader, path, stopReading.Token)).ToList();
        for (var edit = 1; edit <= 8; edit++)
        {
            var summary = $"Edited in Jira ({edit})";
            await system.EditAndDeliverAsync(tenant, issue, secret, summary, Token);

            // Under load the Worker may leave the change to a sync: two minutes for it to commit.
            Assert.Equal(summary, await Polling.UntilAsync(() => StoredSummaryAsync(tenant.ConnectionId, issue.Key), stored => stored == summary, TimeSpan.FromMinutes(2), Token));
            // Committed: its eviction follows at once, so the second instance answers the change within seconds.
            Assert.Equal(summary, await Polling.UntilAsync(() => SummaryAsync(reader, path), read => read == summary, TimeSpan.FromSeconds(10), Token));
        }

        await stopReading.CancelAsync();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
    }

    [Fact]
    public async Task ACachedReadIsItsTenantsOwnAndAWriteOnOneInstanceIsReadOnTheOther()
    {
        await using var second = await ServiceProcess.StartAsync("JiraExport.Api", system.ApiEnvironment(), Token);
        var first = await system.CreateTenantAsync(Token);
        var other = await system.CreateTenantAsync(Token);
        using var firstOnSecond = Client(second, apiKey: first.ApiKey);
        using var otherOnSecond = Client(second, apiKey: other.ApiKey);
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(first.TenantId, (await firstOnSecond.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Token)).GetProperty("id").GetGuid());
            Assert.Equal(other.TenantId, (await otherOnSecond.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Token)).GetProperty("id").GetGuid());
        }

        using var cached = await firstOnSecond.GetAsync("/api/v1/tenant", Token);
        var etag = cached.Headers.ETag;
        Assert.NotNull(etag);
        using (var notModified = await SendAsync(firstOnSecond, HttpMethod.Get, "/api/v1/tenant", etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using (var renamed = await first.Client.PatchAsJsonAsync("/api/v1/tenant", new { name = "Renamed on the first instance" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        using var afterWrite = await SendAsync(firstOnSecond, HttpMethod.Get, "/api/v1/tenant", etag);
        Assert.Equal(HttpStatusCode.OK, afterWrite.StatusCode);
        Assert.Equal("Renamed on the first instance", (await afterWrite.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("name").GetString());
        Assert.NotEqual(etag, afterWrite.Headers.ETag);
        Assert.NotEqual("Renamed on the first instance",
            (await otherOnSecond.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Token)).GetProperty("name").GetString());

        // The platform admin changes the plan, which moves the tenant's version: the cached read goes with it.
        await ChangePlanAsync(first.TenantId, maxApiRequestsPerMinute: 5000);

        using var afterPlan = await firstOnSecond.GetAsync("/api/v1/tenant", Token);
        Assert.NotEqual(afterWrite.Headers.ETag, afterPlan.Headers.ETag);
    }

    [Fact]
    public async Task AListCarriesAnETagAndIsAnswered304UntilAnIssueInItChanges()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var issue = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[2];
        var secret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        var listPath = $"/api/v1/issues?connectionId={tenant.ConnectionId}&project=GAMMA&limit=500";
        EntityTagHeaderValue? listTag = null;
        string? listBody = null;
        foreach (var path in new[] { listPath, $"/api/v2/issues?connectionId={tenant.ConnectionId}&project=GAMMA" })
        {
            using var first = await tenant.Client.GetAsync(path, Token);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag;
            Assert.True(etag is { IsWeak: true }, $"{path} answered the ETag {etag}.");
            listTag ??= etag;
            listBody ??= await first.Content.ReadAsStringAsync(Token);

            // From the read cache, and (v1) read anew, through a parameter the cache does not take (v2's links would name it):
            // the same tag, and 304 without a body.
            foreach (var conditional in path == listPath ? new[] { path, path + "&uncached=1" } : [path])
            {
                using var notModified = await SendAsync(tenant.Client, HttpMethod.Get, conditional, etag);
                Assert.True(notModified.StatusCode == HttpStatusCode.NotModified, $"{conditional} with If-None-Match {etag} answered {notModified.StatusCode} {notModified.Headers.ETag}.");
                Assert.Equal(etag, notModified.Headers.ETag);
                Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Token));
            }

            using var otherTag = await SendAsync(tenant.Client, HttpMethod.Get, path, new EntityTagHeaderValue("\"0123\"", isWeak: true));
            Assert.Equal(HttpStatusCode.OK, otherTag.StatusCode);
        }

        // Jira changes an issue of the list (which moves it to the end, oldest change first): the list's tag moves, and the old
        // one is answered in full.
        const string Summary = "Edited in Jira for the list tag";
        await system.EditAndDeliverAsync(tenant, issue, secret, Summary, Token);

        Assert.Equal(Summary, await Polling.UntilAsync(() => StoredSummaryAsync(tenant.ConnectionId, issue.Key), stored => stored == Summary, TimeSpan.FromMinutes(2), Token));
        var changed = await Polling.UntilAsync(async () =>
        {
            using var response = await SendAsync(tenant.Client, HttpMethod.Get, listPath, listTag);
            return (response.StatusCode, response.Headers.ETag, Text: await response.Content.ReadAsStringAsync(Token));
        }, read => read.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), Token);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(listBody, changed.Text);
        Assert.NotEqual(listTag, changed.ETag);
        using var current = await SendAsync(tenant.Client, HttpMethod.Get, listPath, changed.ETag);
        Assert.Equal(HttpStatusCode.NotModified, current.StatusCode);
    }

    /// <summary>Reads <paramref name="path"/> over and over until <paramref name="stop"/>; answers how often.</summary>
    private static async Task<int> ReadUntilStoppedAsync(HttpClient client, string path, CancellationToken stop)
    {
        var reads = 0;
        while (!stop.IsCancellationRequested)
        {
            await SummaryAsync(client, path);
            reads++;
        }

        return reads;
    }

    private async Task<string?> StoredSummaryAsync(Guid connectionId, string key) =>
        (await system.ReadAsOwnerAsync("SELECT summary FROM jira_issues WHERE connection_id = @c AND key = @k",
            new Dictionary<string, object> { ["c"] = connectionId, ["k"] = key }, Token)).SingleOrDefault();

    private async Task ChangePlanAsync(Guid tenantId, int maxApiRequestsPerMinute)
    {
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var plan = await admin.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/plan", new
        {
            name = "bigger", maxConnections = 10, maxExportsPerDay = 500, maxStoredMegabytes = 2048, maxApiRequestsPerMinute,
        }, Token);
        Assert.True(plan.IsSuccessStatusCode);
    }

    private static async Task<HttpStatusCode> DeliverAsync(HttpClient jira, Guid connectionId, string secret, int delivery)
    {
        var body = JiraWebhookClient.IssueUpdated(10000 + delivery, $"GAMMA-{delivery}", "Delivered");
        using var response = await jira.DeliverAsync(connectionId, body, JiraWebhookClient.Sign(body, secret), $"target-{delivery}", Token);
        return response.StatusCode;
    }

    private static HttpClient Client(ServiceProcess api, string? bearer = null, string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Token);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, EntityTagHeaderValue? ifNoneMatch)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        return await client.SendAsync(request, Token);
    }

    private static async Task<string?> SummaryAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path, Token)).GetProperty("issue").GetProperty("summary").GetString();
}
