using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Jira's webhook deliveries: signed over their exact bytes or refused, stored once however often they come, applied by the
/// Worker. Its own system: a test deletes an issue in the simulator.
/// </summary>
public sealed class JiraWebhookTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnlyADeliverySignedOverItsExactBytesWithTheConnectionsSecretIsTaken()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var other = await system.CreateTenantAsync(Token);
        var body = Restamp(Sample("cloud-jira_issue_updated-status-resolved.json"));
        using var anonymous = system.CreateApiClient();

        // No secret made yet: nothing verifies.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, "guess"), "id-0"));

        var secret = await RotateSecretAsync(tenant);
        var otherSecret = await RotateSecretAsync(other);
        var changedByte = (byte[])body.Clone();
        changedByte[body.Length / 2] ^= 0x01;
        var reserialized = JsonSerializer.SerializeToUtf8Bytes(JsonNode.Parse(body));
        foreach (var (attempt, content, signature) in new (string, byte[], string?)[]
        {
            ("one byte changed", changedByte, Sign(body, secret)),
            ("no signature", body, null),
            ("re-serialized body", reserialized, Sign(body, secret)),
            ("another algorithm", body, "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body))),
            ("another tenant's secret", body, Sign(body, otherSecret)),
            ("the signature in upper case hex, then cut", body, Sign(body, secret).ToUpperInvariant()[..^2]),
        })
        {
            Assert.True(await PostAsync(anonymous, tenant.ConnectionId, content, signature, $"id-{attempt}") == HttpStatusCode.Unauthorized, attempt);
        }

        // The other tenant's own secret still opens only its own connection.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(anonymous, Guid.NewGuid(), body, Sign(body, secret), "id-unknown"));
        Assert.Equal(0, await CountDeliveriesAsync(tenant.ConnectionId));

        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), "id-1"));
        Assert.Equal(1, await CountDeliveriesAsync(tenant.ConnectionId));
        var webhook = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}/webhook", Token);
        Assert.True(webhook.GetProperty("secretSet").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, webhook.GetProperty("lastDeliveryAt").ValueKind);
        Assert.EndsWith($"/api/v1/webhooks/jira/{tenant.ConnectionId}", webhook.GetProperty("url").GetString(), StringComparison.Ordinal);

        // A new secret replaces the old at once.
        var rotated = await RotateSecretAsync(tenant);
        var next = Restamp(Sample("cloud-jira_issue_created.json"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(anonymous, tenant.ConnectionId, next, Sign(next, secret), "id-2"));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, next, Sign(next, rotated), "id-2"));
    }

    [Fact]
    public async Task ASprintEventBringsTheStoredSprintToJirasStateAndOnlyASprintJiraNoLongerHasIsRemoved()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var secret = await RotateSecretAsync(tenant);
        var connection = new Dictionary<string, object> { ["c"] = tenant.ConnectionId };
        var sprintId = long.Parse((await system.ReadAsOwnerAsync(
            "SELECT sprint_id::text FROM jira_sprints WHERE connection_id = @c ORDER BY sprint_id LIMIT 1", connection, Token)).Single(), CultureInfo.InvariantCulture);
        var jiraName = await system.GetJiraSprintNameAsync(sprintId, Token);
        // The store has fallen behind Jira, and keeps a sprint Jira no longer has.
        await system.ExecuteAsOwnerAsync($"UPDATE jira_sprints SET name = 'Behind Jira', state = 'future' WHERE connection_id = @c AND sprint_id = {sprintId}", connection, Token);
        await system.ExecuteAsOwnerAsync($"""
            INSERT INTO jira_sprints (tenant_id, connection_id, sprint_id, name, state)
            SELECT tenant_id, id, 999999, 'Gone from Jira', 'closed' FROM jira_connections WHERE id = @c
            """, connection, Token);
        using var anonymous = system.CreateApiClient();

        // What a payload says is not trusted: the sprint is read back from Jira, and Jira's own sprint is never deleted.
        var sent = 0;
        foreach (var (webhookEvent, id, name) in new[] { ("sprint_updated", sprintId, "Forged name"), ("sprint_deleted", sprintId, "x"), ("sprint_deleted", 999999L, "x") })
        {
            var body = Encoding.UTF8.GetBytes($$$"""
                {"timestamp":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"webhookEvent":"{{{webhookEvent}}}","sprint":{"id":{{{id}}},"name":"{{{name}}}","state":"closed"}}
                """);
            Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), $"sprint-{++sent}"));
        }

        var outcomes = await WaitForOutcomesAsync(tenant.ConnectionId, sent);
        Assert.True(outcomes.Count == sent, system.Worker.RecentOutput);
        Assert.Contains($"sprint {sprintId} updated", outcomes);
        Assert.Equal(2, outcomes.Count(o => o == $"sprint {sprintId} updated"));
        Assert.Contains("sprint 999999 deleted 1", outcomes);
        Assert.Equal(jiraName, await StoredSprintNameAsync(tenant.ConnectionId, sprintId));
        Assert.Empty(await system.ReadAsOwnerAsync("SELECT name FROM jira_sprints WHERE sprint_id = 999999 AND connection_id = @c", connection, Token));
    }

    private async Task<string> StoredSprintNameAsync(Guid connectionId, long sprintId) =>
        (await system.ReadAsOwnerAsync($"SELECT name FROM jira_sprints WHERE connection_id = @c AND sprint_id = {sprintId}",
            new Dictionary<string, object> { ["c"] = connectionId }, Token)).Single();

    [Fact]
    public async Task ADeliveryOfSeveralMegabytesIsStored()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var secret = await RotateSecretAsync(tenant);
        using var anonymous = system.CreateApiClient();
        // An issue with a long description and many comments: more than the server buffers at once.
        var large = JsonNode.Parse(Restamp(Sample("cloud-jira_issue_created.json")))!;
        large["issue"]!["fields"]!["description"] = new string('x', 3 * 1024 * 1024);
        var body = Encoding.UTF8.GetBytes(large.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), "large"));
        Assert.Equal(1, await CountDeliveriesAsync(tenant.ConnectionId));
    }

    [Fact]
    public async Task TheSameDeliveryFiveTimesAtOnceOrSentAgainUnderAnotherIdentifierIsStoredAndAppliedOnce()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var secret = await RotateSecretAsync(tenant);
        var body = DeletionOf(99_999_999, "GONE-1");
        using var anonymous = system.CreateApiClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), "retried-delivery")));

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Accepted));
        Assert.Equal(4, answers.Count(a => a == HttpStatusCode.OK));
        // A captured delivery replayed under a new identifier is the same signed bytes: no second row, no second effect.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), "replayed-under-a-new-id"));
        Assert.Equal(1, await CountDeliveriesAsync(tenant.ConnectionId));
        Assert.Equal("deleted 0", Assert.Single(await WaitForOutcomesAsync(tenant.ConnectionId, 1)));

        // Replayed after the window, with its original signed timestamp: refused.
        var stale = Sample("cloud-jira_issue_deleted.json");
        using var refused = await SendAsync(anonymous, tenant.ConnectionId, stale, Sign(stale, secret), "stale");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("more than 24 hours old", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForgedDeletionOfAnIssueJiraStillHasDeletesNothing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = ALPHA AND issuetype = Bug" }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var secret = await RotateSecretAsync(tenant);

        // Whoever holds the secret claims an issue deleted that Jira still has.
        var body = DeletionOf(stored[0].Id, stored[0].Key);
        using var anonymous = system.CreateApiClient();
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), "forged"));

        Assert.Equal("ignored: Jira still has the issue", Assert.Single(await WaitForOutcomesAsync(tenant.ConnectionId, 1)));
        Assert.Equal(stored.Count, (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count);
    }

    [Fact]
    public async Task AnIssueDeletedInJiraLeavesTheStoreOfTheConnectionItWasDeliveredToAtOnce()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var neighbour = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = BETA" }, Token);
        await neighbour.SyncAsync(new { mode = "full", jql = "project = BETA" }, Token);
        var victim = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[3];
        var secret = await RotateSecretAsync(tenant);
        await system.DeleteJiraIssueAsync(victim.Key, Token);

        var body = DeletionOf(victim.Id, victim.Key);
        using var anonymous = system.CreateApiClient();
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), $"delete-{victim.Key}"));

        Assert.Equal("deleted 1", Assert.Single(await WaitForOutcomesAsync(tenant.ConnectionId, 1)));
        using var gone = await tenant.Client.GetAsync($"/api/v1/issues/{victim.Key}?connectionId={tenant.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        // The same issue in another tenant's store stays until that tenant hears of it.
        using var kept = await neighbour.Client.GetAsync($"/api/v1/issues/{victim.Key}?connectionId={neighbour.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task AnIssueDeletedInTheSimulatorLeavesTheStoreWithinSecondsThroughItsWebhookSentTwiceAndOutOfOrder()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var (victim, edited) = (stored[5], stored[6]);
        var secret = await RotateSecretAsync(tenant);
        var url = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}/webhook", Token)).GetProperty("url").GetString();

        // Jira's admin registers the URL and secret; the site then sends every delivery twice, each held up to 300 ms.
        using var simulator = system.CreateSimulatorClient();
        using (var registered = await simulator.PostAsJsonAsync("/_simulator/webhooks", new { url, secret, duplicates = 1, holdMs = 300 }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }

        try
        {
            await system.EditJiraIssueAsync(edited.Key, "Edited while webhooks listen", Token);
            await system.DeleteJiraIssueAsync(victim.Key, Token);

            var outcomes = await WaitForOutcomesAsync(tenant.ConnectionId, 2);
            Assert.Equal(2, outcomes.Count);
            Assert.Contains("deleted 1", outcomes);
            Assert.Contains($"applied {edited.Key}", outcomes);
            using var gone = await tenant.Client.GetAsync($"/api/v1/issues/{victim.Key}?connectionId={tenant.ConnectionId}", Token);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

            // The edit is applied from its delivery, the issue read again as Jira has it.
            Assert.Equal("Edited while webhooks listen", (await tenant.GetStoredIssueAsync(edited.Key, Token)).Issue.Summary);
            // Each change stored once, though the site sent it twice.
            Assert.Equal(2, await CountDeliveriesAsync(tenant.ConnectionId));
        }
        finally
        {
            using var removed = await simulator.DeleteAsync("/_simulator/webhooks", CancellationToken.None);
        }
    }

    [Fact]
    public async Task DeliveriesThatArriveNewestFirstLeaveTheNewestStateAndAreAppliedOnce()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var issue = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[2];
        var secret = await RotateSecretAsync(tenant);
        await system.EditJiraIssueAsync(issue.Key, "First edit", Token);
        var first = JiraWebhookClient.IssueUpdated(issue.Id, issue.Key, "First edit");
        await system.EditJiraIssueAsync(issue.Key, "Second edit", Token);
        var second = JiraWebhookClient.IssueUpdated(issue.Id, issue.Key, "Second edit");

        // Jira's second delivery overtakes its first.
        using var anonymous = system.CreateApiClient();
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, second, Sign(second, secret), "second"));
        Assert.Equal($"applied {issue.Key}", Assert.Single(await WaitForOutcomesAsync(tenant.ConnectionId, 1)));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, first, Sign(first, secret), "first"));

        var outcomes = await WaitForOutcomesAsync(tenant.ConnectionId, 2);
        Assert.Contains("ignored: the stored issue is as new", outcomes);
        Assert.Equal("Second edit", (await tenant.GetStoredIssueAsync(issue.Key, Token)).Issue.Summary);
        var changes = (await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/events?types=issue.changed", Token))!["items"]!.AsArray();
        Assert.Equal(issue.Key, (string)Assert.Single(changes)!["data"]!["key"]!);
    }

    [Fact]
    public async Task AnIssueEditedInJiraReachesABrowserWatchingItThroughItsWebhook()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var (watched, other) = ((await tenant.ListStoredIssuesAsync(string.Empty, Token))[1], (await tenant.ListStoredIssuesAsync(string.Empty, Token))[4]);
        var secret = await RotateSecretAsync(tenant);
        var url = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}/webhook", Token)).GetProperty("url").GetString();
        await using var browser = new HubConnectionBuilder()
            .WithUrl(new Uri(system.Realtime.BaseAddress, "/hubs/exports"), options => options.Headers["X-Api-Key"] = tenant.ApiKey)
            .Build();
        var changed = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        browser.On<JsonElement>("issueChanged", notification => changed.Writer.TryWrite(notification));
        await browser.StartAsync(Token);
        await browser.InvokeAsync("SubscribeToIssue", tenant.ConnectionId, watched.Key.ToLowerInvariant(), Token);
        var refused = await Assert.ThrowsAsync<HubException>(() => browser.InvokeAsync("SubscribeToIssue", Guid.NewGuid(), watched.Key, Token));
        Assert.Contains("No Jira connection", refused.Message);

        using var simulator = system.CreateSimulatorClient();
        using (var registered = await simulator.PostAsJsonAsync("/_simulator/webhooks", new { url, secret }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }

        try
        {
            await system.EditJiraIssueAsync(other.Key, "Not watched", Token);
            Assert.Equal($"applied {other.Key}", Assert.Single(await WaitForOutcomesAsync(tenant.ConnectionId, 1)));
            await system.EditJiraIssueAsync(watched.Key, "Watched live", Token);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            var notification = await changed.Reader.ReadAsync(deadline.Token);
            Assert.Equal(watched.Key, notification.GetProperty("key").GetString());
            Assert.Equal("Watched live", notification.GetProperty("summary").GetString());
            Assert.Equal("jira:issue_updated", notification.GetProperty("jiraEvent").GetString());
            Assert.False(changed.Reader.TryRead(out _), "The browser heard of an issue it does not watch.");
        }
        finally
        {
            using var removed = await simulator.DeleteAsync("/_simulator/webhooks", CancellationToken.None);
        }
    }

    [Fact]
    public async Task AChangeReadFromJiraJustBeforeItsIssueWasDeletedDoesNotBringTheIssueBack()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var issue = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[7];
        var secret = await RotateSecretAsync(tenant);
        using var anonymous = system.CreateApiClient();
        await system.EditJiraIssueAsync(issue.Key, "Edited just before its deletion", Token);

        // Jira answers as it is when asked, but each answer arrives two seconds later: the change is read while the issue
        // still exists, and written after its deletion was applied.
        await system.InjectJiraFaultAsync(new { kind = "late", latencyMs = 2000 }, Token);
        try
        {
            var change = JiraWebhookClient.IssueUpdated(issue.Id, issue.Key, "Edited just before its deletion");
            Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, change, Sign(change, secret), "late-change"));
            await Polling.UntilAsync(() => system.GetJiraRequestLogAsync(Token), log => log.Any(r => r.Path?.Contains("/search", StringComparison.Ordinal) == true),
                TimeSpan.FromSeconds(20), Token);
            using (var simulator = system.CreateSimulatorClient())
            using (var deleted = await simulator.DeleteAsync($"/_simulator/issues/{issue.Key}", Token))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            var deletion = DeletionOf(issue.Id, issue.Key);
            Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, deletion, Sign(deletion, secret), "deletion"));
            var outcomes = await WaitForOutcomesAsync(tenant.ConnectionId, 2);
            Assert.Contains("deleted 1", outcomes);
        }
        finally
        {
            await system.ClearJiraFaultsAsync(CancellationToken.None);
        }

        Assert.Empty(await system.ReadAsOwnerAsync("SELECT key FROM jira_issues WHERE connection_id = @c AND issue_id = @i",
            new Dictionary<string, object> { ["c"] = tenant.ConnectionId, ["i"] = issue.Id }, Token));
    }

    [Fact]
    public async Task AForgedDeletionOfAnIssueNotCreatedYetDoesNotKeepItOutOfTheStore()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var secret = await RotateSecretAsync(tenant);
        using var anonymous = system.CreateApiClient();
        using var simulator = system.CreateSimulatorClient();

        // Jira hands out issue ids in order: whoever holds the secret knows the next one, and Jira says it has no such issue.
        var probe = await CreateInJiraAsync(simulator, "Probe for the next id");
        var next = long.Parse(probe.GetProperty("id").GetString()!, CultureInfo.InvariantCulture) + 1;
        var forged = DeletionOf(next, $"GAMMA-{next}");
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, forged, Sign(forged, secret), "forged-future-deletion"));
        Assert.Equal(["deleted 0"], await WaitForOutcomesAsync(tenant.ConnectionId, 1));

        var created = await CreateInJiraAsync(simulator, "Created after a forged deletion");
        Assert.Equal(next, long.Parse(created.GetProperty("id").GetString()!, CultureInfo.InvariantCulture));
        var key = created.GetProperty("key").GetString()!;
        var change = JiraWebhookClient.IssueUpdated(next, key, "Created after a forged deletion");
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, change, Sign(change, secret), "created"));
        Assert.Contains($"applied {key}", await WaitForOutcomesAsync(tenant.ConnectionId, 2));
    }

    private static async Task<JsonElement> CreateInJiraAsync(HttpClient simulator, string summary)
    {
        using var created = await simulator.PostAsJsonAsync("/_simulator/issues", new { project = "GAMMA", summary }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    [Fact]
    public async Task AVersionRenamedThenDeletedInJiraReachesEveryStoredIssueThatCarriesItWithoutMovingUpdated()
    {
        // GAMMA's version 1.1 (the simulator's 10121) is on about half its issues; Jira changes versions without moving
        // the issues' updated, and sends no issue event for them.
        const string Version = "10121";
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var carrying = await StoredVersionNamesAsync(tenant.ConnectionId, Version);
        Assert.True(carrying.Count > 100, $"Only {carrying.Count} stored issues carry version {Version}.");
        Assert.All(carrying, c => Assert.EndsWith("|1.1", c));
        var updatedBefore = await StoredUpdatedAsync(tenant.ConnectionId);

        await using var webhook = await RegisterSimulatorWebhookAsync(tenant);
        using (var renamed = await webhook.Simulator.PostAsJsonAsync($"/_simulator/versions/{Version}", new { name = "1.1.0" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        var afterRename = await Polling.UntilAsync(() => StoredVersionNamesAsync(tenant.ConnectionId, Version),
            names => names.All(n => n.EndsWith("|1.1.0", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), Token);
        Assert.Equal(carrying.Select(c => c.Split('|')[0]).Order(), afterRename.Select(c => c.Split('|')[0]).Order());
        Assert.All(afterRename, c => Assert.EndsWith("|1.1.0", c));

        using (var deleted = await webhook.Simulator.DeleteAsync($"/_simulator/versions/{Version}", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Empty(await Polling.UntilAsync(() => StoredVersionNamesAsync(tenant.ConnectionId, Version), names => names.Count == 0, TimeSpan.FromSeconds(30), Token));
        Assert.Equal(updatedBefore, await StoredUpdatedAsync(tenant.ConnectionId));
        Assert.All(await WaitForOutcomesAsync(tenant.ConnectionId, 2), outcome => Assert.StartsWith("applied ", outcome));

        // Sent again (a replay, or forged by whoever holds the secret): Jira's version and the stored copies agree, so
        // nothing is read again.
        var replay = Encoding.UTF8.GetBytes($$$"""{"timestamp": {{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}, "webhookEvent": "jira:version_updated", "version": {"id": "10120"}}""");
        using var anonymous = system.CreateApiClient();
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, replay, Sign(replay, webhook.Secret), "version-replay"));
        Assert.Contains("ignored: no stored issue holds another state of version 10120", await WaitForOutcomesAsync(tenant.ConnectionId, 3));
    }

    [Fact]
    public async Task AProjectDeletedInJiraLeavesTheStoreWithItsIssuesWhileAForgedDeletionOfAProjectJiraHasRemovesNothing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA" }, Token);
        var stored = await CountStoredAsync(tenant.ConnectionId);
        Assert.True(stored > 0);
        var secret = await RotateSecretAsync(tenant);
        using var anonymous = system.CreateApiClient();

        // Whoever holds the secret claims DELTA (10003) deleted: Jira still has it, so nothing goes.
        var forged = Encoding.UTF8.GetBytes($$$"""{"timestamp": {{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}, "webhookEvent": "project_deleted", "project": {"id": 10003, "key": "DELTA"}}""");
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, forged, Sign(forged, secret), "forged-project-deletion"));
        Assert.Equal(["ignored: Jira still has the project"], await WaitForOutcomesAsync(tenant.ConnectionId, 1));
        Assert.Equal(stored, await CountStoredAsync(tenant.ConnectionId));

        await using var webhook = await RegisterSimulatorWebhookAsync(tenant, secret);
        using (var deleted = await webhook.Simulator.DeleteAsync("/_simulator/projects/DELTA", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, await Polling.UntilAsync(() => CountStoredAsync(tenant.ConnectionId), count => count == 0, TimeSpan.FromSeconds(30), Token));

        // A forged restoration of the project: Jira does not have it, so no sync is queued.
        var restored = Encoding.UTF8.GetBytes($$$"""{"timestamp": {{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}, "webhookEvent": "project_restored_deleted", "project": {"id": 10003}}""");
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(anonymous, tenant.ConnectionId, restored, Sign(restored, secret), "forged-restoration"));
        Assert.Contains("ignored: Jira does not have the project; its removal has an event of its own", await WaitForOutcomesAsync(tenant.ConnectionId, 3));
        // Each issue's removal is an issue.deleted event, for live clients and webhook subscriptions.
        var deletions = await system.ReadAsOwnerAsync("SELECT count(*)::text FROM domain_events WHERE tenant_id = @t AND aggregate = 'issue' AND type = 'deleted'",
            new Dictionary<string, object> { ["t"] = tenant.TenantId }, Token);
        Assert.Equal(stored.ToString(CultureInfo.InvariantCulture), deletions.Single());
    }

    [Fact]
    public async Task EveryRealPayloadIsTakenAndApplied()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var secret = await RotateSecretAsync(tenant);
        using var anonymous = system.CreateApiClient();
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "JiraWebhooks"), "*.json").Order().ToList();
        Assert.Equal(10, samples.Count);

        foreach (var sample in samples)
        {
            var body = Restamp(await File.ReadAllBytesAsync(sample, Token));
            Assert.True(await PostAsync(anonymous, tenant.ConnectionId, body, Sign(body, secret), Path.GetFileName(sample)) == HttpStatusCode.Accepted, sample);
        }

        // Each one applied: deletions and changes of issues this site does not have (the payloads come from other sites), a
        // new project (no issues yet) noted.
        var outcomes = await WaitForOutcomesAsync(tenant.ConnectionId, samples.Count);
        Assert.Equal(samples.Count, outcomes.Count);
        Assert.Contains("ignored: outside the connection's scope, or gone from Jira", outcomes);
        Assert.Contains("ignored: a new project has no issues yet; they come with their own events", outcomes);
        Assert.All(outcomes, o => Assert.Matches("^(applied |deleted |ignored: )", o));
    }

    /// <summary>Jira's deletion payload, re-stamped to now and about the given issue.</summary>
    private static byte[] DeletionOf(long issueId, string key)
    {
        var payload = JsonNode.Parse(Sample("cloud-jira_issue_deleted.json"))!;
        payload["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        payload["issue"]!["id"] = issueId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        payload["issue"]!["key"] = key;
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    /// <summary>The real payload's own bytes with its epoch-millisecond <c>timestamp</c> made now (an event happens now).</summary>
    private static byte[] Restamp(byte[] body) => Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(
        Encoding.UTF8.GetString(body), "\"timestamp\":\\s*\\d+", $"\"timestamp\": {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "JiraWebhooks", name));

    private static string Sign(byte[] body, string secret) => JiraWebhookClient.Sign(body, secret);

    private static Task<string> RotateSecretAsync(TestTenant tenant) => tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, Guid connectionId, byte[] body, string? signature, string identifier)
    {
        using var response = await client.DeliverAsync(connectionId, body, signature, identifier, Token);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Guid connectionId, byte[] body, string? signature, string identifier) =>
        client.DeliverAsync(connectionId, body, signature, identifier, Token);

    private Task<List<string>> StoredVersionNamesAsync(Guid connectionId, string versionId) =>
        system.ReadAsOwnerAsync(
            "SELECT key || '|' || (v->>'name') FROM jira_issues, jsonb_array_elements(fields->'fixVersions') v WHERE connection_id = @c AND v->>'id' = @v ORDER BY key",
            new Dictionary<string, object> { ["c"] = connectionId, ["v"] = versionId }, Token);

    private async Task<string> StoredUpdatedAsync(Guid connectionId) => string.Join(",", await system.ReadAsOwnerAsync(
        "SELECT key || '=' || updated::text FROM jira_issues WHERE connection_id = @c ORDER BY key", new Dictionary<string, object> { ["c"] = connectionId }, Token));

    private async Task<long> CountStoredAsync(Guid connectionId) => long.Parse((await system.ReadAsOwnerAsync(
        "SELECT count(*)::text FROM jira_issues WHERE connection_id = @c", new Dictionary<string, object> { ["c"] = connectionId }, Token)).Single(),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The simulator sends its events to the connection's webhook until disposed.</summary>
    private async Task<SimulatorWebhook> RegisterSimulatorWebhookAsync(TestTenant tenant, string? secret = null)
    {
        secret ??= await RotateSecretAsync(tenant);
        var url = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}/webhook", Token)).GetProperty("url").GetString();
        var simulator = system.CreateSimulatorClient();
        using var registered = await simulator.PostAsJsonAsync("/_simulator/webhooks", new { url, secret }, Token);
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        return new SimulatorWebhook(simulator, secret);
    }

    private sealed class SimulatorWebhook(HttpClient simulator, string secret) : IAsyncDisposable
    {
        public HttpClient Simulator => simulator;

        public string Secret => secret;

        public async ValueTask DisposeAsync()
        {
            using (await simulator.DeleteAsync("/_simulator/webhooks", CancellationToken.None))
            {
            }

            simulator.Dispose();
        }
    }

    private async Task<long> CountDeliveriesAsync(Guid connectionId)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM jira_webhook_deliveries WHERE connection_id = @id", connection);
        count.Parameters.AddWithValue("id", connectionId);
        return (long)(await count.ExecuteScalarAsync(Token))!;
    }

    /// <summary>The outcomes of the connection's deliveries once <paramref name="expected"/> of them are applied (30 s at most).</summary>
    private async Task<List<string>> WaitForOutcomesAsync(Guid connectionId, int expected)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        var outcomes = new List<string>();
        for (var wait = 0; wait < 300; wait++)
        {
            outcomes.Clear();
            await using var read = new NpgsqlCommand("SELECT outcome FROM jira_webhook_deliveries WHERE connection_id = @id AND processed_at IS NOT NULL", connection);
            read.Parameters.AddWithValue("id", connectionId);
            await using (var reader = await read.ExecuteReaderAsync(Token))
            {
                while (await reader.ReadAsync(Token))
                {
                    outcomes.Add(reader.GetString(0));
                }
            }

            if (outcomes.Count >= expected)
            {
                return outcomes;
            }

            await Task.Delay(100, Token);
        }

        return outcomes;
    }
}
