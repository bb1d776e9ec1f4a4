using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The tenant's event log: paged over REST from a sequence number, replayed to a Realtime client that resumes, pruned.</summary>
public sealed class EventLogTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLogPagesTheTenantsEventsOldestFirstWithoutAGap()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = GAMMA-2", Token);
        await tenant.WaitForExportToFinishAsync(exportId, Token);

        var read = new List<JsonObject>();
        var after = 0L;
        while (true)
        {
            var page = (await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/events?after={after}&limit=2", Token))!;
            read.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            Assert.True(page["items"]!.AsArray().Count <= 2);
            after = (long)page["lastSequence"]!;
            if (!(bool)page["hasMore"]!)
            {
                break;
            }
        }

        Assert.True(read.Count >= 3, $"Only {read.Count} events were read.");
        Assert.Equal(Enumerable.Range(1, read.Count).Select(s => (long)s), read.Select(e => (long)e["sequence"]!));
        Assert.Equal(read.Count, after);
        Assert.All(read, e => Assert.Equal(exportId, (Guid)e["aggregateId"]!));
        Assert.Equal("export.completed", (string)read[^1]["type"]!);
        Assert.Equal("succeeded", (string)read[^1]["data"]!["status"]!);

        // Later, the client asks what happened since: nothing, and it keeps its place.
        var since = (await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/events?after={after}", Token))!;
        Assert.Empty(since["items"]!.AsArray());
        Assert.Equal(after, (long)since["lastSequence"]!);
    }

    [Fact]
    public async Task AV2ClientFollowsTheNextLinkThroughTheSameEvents()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = GAMMA-2", Token);
        await tenant.WaitForExportToFinishAsync(exportId, Token);
        var all = (await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/events?limit=200", Token))!["items"]!.AsArray();

        var sequences = new List<long>();
        string? address = "/api/v2/events?limit=2";
        while (address is not null)
        {
            var page = (await tenant.Client.GetFromJsonAsync<JsonObject>(address, Token))!;
            sequences.AddRange(page["items"]!.AsArray().Select(item => (long)item!["sequence"]!));
            address = (string?)page["links"]!["next"];
            Assert.Equal(address is null, page["next"] is null);
        }

        Assert.Equal(all.Select(item => (long)item!["sequence"]!), sequences);
    }

    [Fact]
    public async Task TypesNarrowThePageToThoseEvents()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = GAMMA-2", Token);
        await tenant.WaitForExportToFinishAsync(exportId, Token);

        var page = (await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/events?types=export.completed, export.failed", Token))!;
        var item = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal("export.completed", (string)item["type"]!);
        Assert.Equal(exportId, (Guid)item["data"]!["exportId"]!);
    }

    [Fact]
    public async Task AnUnknownTypeOrANegativeSequenceIsRefusedNamingTheKnownTypes()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var response = await tenant.Client.GetAsync("/api/v1/events?after=-1&types=export.completed,export.exploded", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!;
        Assert.Contains("export.exploded", (string)errors["types"]![0]!);
        Assert.Contains("sync.completed", (string)errors["types"]![0]!);
        Assert.Contains("last sequence you read", (string)errors["after"]![0]!);
    }

    [Fact]
    public async Task AClientThatSubscribesAgainAfterItsLastSequenceMissesNothing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        long lastSeen;
        await using (var first = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token))
        {
            await first.Connection.InvokeAsync("SubscribeToTenant", Token);
            var seenLive = await tenant.RequestExportAsync("key = GAMMA-2", Token);
            await first.WaitForFinishOfAsync(seenLive, TimeSpan.FromMinutes(3), Token);
            lastSeen = first.Events.Max(e => e.Event.Sequence);
        }

        // While the client is away, an export runs from start to end.
        var missed = await tenant.RequestExportAsync("key = GAMMA-3", Token);
        await tenant.WaitForExportToFinishAsync(missed, Token);

        await using var second = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        var lastSent = await second.Connection.InvokeAsync<long>("SubscribeToTenantAfter", lastSeen, Token);
        // Sent before the invocation's answer, on the same connection; the .NET client runs handlers in order, but on a
        // loop of their own, so the answer may be seen before they have run.
        await second.WaitForFinishOfAsync(missed, TimeSpan.FromSeconds(30), Token);
        Assert.Equal(second.Events.Max(e => e.Event.Sequence), lastSent);
        Assert.All(second.Events, e => Assert.True(e.Event.Sequence > lastSeen, $"Event {e.Event.Sequence} was sent again."));

        // And what happens next arrives live.
        var live = await tenant.RequestExportAsync("key = GAMMA-4", Token);
        await second.WaitForFinishOfAsync(live, TimeSpan.FromMinutes(3), Token);
        var sequences = second.Events.Select(e => e.Event.Sequence).Where(s => s > lastSeen).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, sequences.Count).Select(s => (long)s), sequences);
    }

    [Fact]
    public async Task SubscribingAfterASequenceTooFarBackNamesTheWayToCatchUp()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await AppendEventsAsync(tenant, 1001);

        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        var refused = await Assert.ThrowsAsync<HubException>(() => listener.Connection.InvokeAsync<long>("SubscribeToTenantAfter", 0L, Token));
        Assert.Contains("GET /api/v1/events?after=0", refused.Message);
        Assert.Empty(listener.Events);

        Assert.Equal(1001L, await listener.Connection.InvokeAsync<long>("SubscribeToTenantAfter", 1L, Token));
    }

    [Fact]
    public async Task SubscribingToTheTenantAnswersItsLastSequence()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        Assert.Equal(0L, await listener.Connection.InvokeAsync<long>("SubscribeToTenant", Token));

        await AppendEventsAsync(tenant, 3);
        Assert.Equal(3L, await listener.Connection.InvokeAsync<long>("SubscribeToTenant", Token));
    }

    [Fact]
    public async Task SubscribingAfterASequenceToAnotherTenantsExportIsRefusedLikeAMissingOne()
    {
        var owner = await system.CreateTenantAsync(Token);
        var stranger = await system.CreateTenantAsync(Token);
        var exportId = await owner.RequestExportAsync("key = GAMMA-2", Token);
        await owner.WaitForExportToFinishAsync(exportId, Token);

        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, stranger.ApiKey, Token);
        var refused = await Assert.ThrowsAsync<HubException>(() => listener.Connection.InvokeAsync<long>("SubscribeToExportAfter", exportId, 0L, Token));
        Assert.Contains("No export", refused.Message);
        Assert.Empty(listener.Events);

        await using var ownerListener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, owner.ApiKey, Token);
        await ownerListener.Connection.InvokeAsync<long>("SubscribeToExportAfter", exportId, 0L, Token);
        // Sent before the answer; the .NET client may handle it just after.
        Assert.Equal("succeeded", (await ownerListener.WaitForFinishOfAsync(exportId, TimeSpan.FromSeconds(30), Token)).Status);
    }

    [Fact]
    public async Task SentOutboxMessagesAndInboxRecordsPastTheirRetentionArePrunedAndWhatMustStayStays()
    {
        var (oldSent, freshSent, oldUnsent, oldInbox, freshInbox) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var parameters = new Dictionary<string, object>
        {
            ["old_sent"] = oldSent, ["fresh_sent"] = freshSent, ["old_unsent"] = oldUnsent, ["old_inbox"] = oldInbox, ["fresh_inbox"] = freshInbox,
            ["old"] = DateTimeOffset.UtcNow.AddDays(-8), ["fresh"] = DateTimeOffset.UtcNow.AddDays(-6),
        };
        // The unsent row has used up its publish attempts, so the relay leaves it aside for someone to look at.
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO outbox_messages (id, exchange, routing_key, type, payload, created_at, sent_at, publish_attempts) VALUES
                (@old_sent, 'jx.retention-test', 'sent', 'RetentionTest', '{}', @old, @old, 1),
                (@fresh_sent, 'jx.retention-test', 'sent', 'RetentionTest', '{}', @fresh, @fresh, 1),
                (@old_unsent, 'jx.retention-test', 'set-aside', 'RetentionTest', '{}', @old, NULL, 1000000);
            INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES (@old_inbox, 'retention-test', @old), (@fresh_inbox, 'retention-test', @fresh);
            """, parameters, Token);
        try
        {
            // The Worker prunes every half second here; a week is the retention.
            var left = await Polling.UntilAsync(() => system.ReadAsOwnerAsync("""
                SELECT id::text FROM outbox_messages WHERE exchange = 'jx.retention-test'
                UNION ALL SELECT message_id::text FROM inbox_messages WHERE consumer = 'retention-test'
                """, new Dictionary<string, object>(), Token), rows => rows.Count == 3, TimeSpan.FromSeconds(20), Token);
            Assert.Equal(new[] { freshSent, oldUnsent, freshInbox }.Select(id => id.ToString()).Order(), left.Order());
        }
        finally
        {
            await system.ExecuteAsOwnerAsync(
                "DELETE FROM outbox_messages WHERE exchange = 'jx.retention-test'; DELETE FROM inbox_messages WHERE consumer = 'retention-test'",
                new Dictionary<string, object>(), CancellationToken.None);
        }
    }

    [Fact]
    public async Task ProcessedJiraDeliveriesSecurityEventsAndUsagePastTheirRetentionArePrunedTenantByTenantAndWhatMustStayStays()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var other = await system.CreateTenantAsync(Token);
        var now = DateTimeOffset.UtcNow;
        var parameters = new Dictionary<string, object>
        {
            ["tenant"] = tenant.TenantId, ["other"] = other.TenantId, ["connection"] = tenant.ConnectionId, ["other_connection"] = other.ConnectionId,
            ["principal"] = Guid.NewGuid(),
            // Each pair straddles its retention (DataRetention defaults): deliveries 14 days, security events 400, usage 730 and 180.
            ["old_delivery"] = now.AddDays(-15), ["fresh_delivery"] = now.AddDays(-13),
            ["old_event"] = now.AddDays(-401), ["fresh_event"] = now.AddDays(-399),
            ["old_usage"] = DateOnly.FromDateTime(now.AddDays(-732).UtcDateTime), ["fresh_usage"] = DateOnly.FromDateTime(now.AddDays(-728).UtcDateTime),
            ["old_person"] = DateOnly.FromDateTime(now.AddDays(-182).UtcDateTime), ["fresh_person"] = DateOnly.FromDateTime(now.AddDays(-178).UtcDateTime),
        };
        // Deliveries: an old processed one (goes), an old one never processed (stays: its work is not done), a fresh one; and
        // the same old rows for a second tenant, so the pruning reaches every tenant and not only the first it is told of.
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_webhook_deliveries (id, tenant_id, connection_id, identifier, event, received_at, body, body_sha256, processed_at) VALUES
                (gen_random_uuid(), @tenant, @connection, 'old-processed', 'jira:issue_updated', @old_delivery, '\x7b7d', '\x01', @old_delivery),
                (gen_random_uuid(), @tenant, @connection, 'old-unprocessed', 'jira:issue_updated', @old_delivery, '\x7b7d', '\x02', NULL),
                (gen_random_uuid(), @tenant, @connection, 'fresh-processed', 'jira:issue_updated', @fresh_delivery, '\x7b7d', '\x03', @fresh_delivery),
                (gen_random_uuid(), @other, @other_connection, 'old-processed', 'jira:issue_updated', @old_delivery, '\x7b7d', '\x01', @old_delivery);
            INSERT INTO security_events (id, tenant_id, occurred_at, type, detail) VALUES
                (gen_random_uuid(), @tenant, @old_event, 'retention.test', 'old'),
                (gen_random_uuid(), @tenant, @fresh_event, 'retention.test', 'fresh'),
                (gen_random_uuid(), @other, @old_event, 'retention.test', 'old');
            INSERT INTO tenant_usage_days (tenant_id, day, api_requests, exports, rendered_pages, stored_bytes, sync_runs) VALUES
                (@tenant, @old_usage, 1, 0, 0, 0, 0), (@tenant, @fresh_usage, 2, 0, 0, 0, 0), (@other, @old_usage, 1, 0, 0, 0, 0);
            INSERT INTO principal_usage_days (tenant_id, day, principal_id, endpoint, principal_kind, requests) VALUES
                (@tenant, @old_person, @principal, 'RetentionTest', 'user', 1), (@tenant, @fresh_person, @principal, 'RetentionTest', 'user', 2),
                (@other, @old_person, @principal, 'RetentionTest', 'user', 1);
            """, parameters, Token);

        // The Worker prunes every half second here.
        var left = await Polling.UntilAsync(() => system.ReadAsOwnerAsync("""
            SELECT 'delivery ' || identifier || ' ' || (tenant_id = @tenant) FROM jira_webhook_deliveries WHERE tenant_id IN (@tenant, @other)
            UNION ALL SELECT 'security ' || detail || ' ' || (tenant_id = @tenant) FROM security_events WHERE type = 'retention.test'
            UNION ALL SELECT 'usage ' || api_requests || ' ' || (tenant_id = @tenant) FROM tenant_usage_days WHERE tenant_id IN (@tenant, @other) AND day < now() - interval '700 days'
            UNION ALL SELECT 'person ' || requests || ' ' || (tenant_id = @tenant) FROM principal_usage_days WHERE endpoint = 'RetentionTest'
            """, parameters, Token), rows => rows.Count == 5, TimeSpan.FromSeconds(20), Token);
        Assert.Equal(
            ["delivery fresh-processed true", "delivery old-unprocessed true", "person 2 true", "security fresh true", "usage 2 true"],
            left.Order());
    }

    [Fact]
    public async Task EventsPastTheRetentionArePrunedAndThePageStartsAfterTheGap()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = GAMMA-2", Token);
        await tenant.WaitForExportToFinishAsync(exportId, Token);
        await system.ExecuteAsOwnerAsync(
            "UPDATE domain_events SET occurred_at = now() - interval '31 days' WHERE tenant_id = @tenant AND sequence <= 2",
            new Dictionary<string, object> { ["tenant"] = tenant.TenantId }, Token);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        JsonArray items;
        do
        {
            await Task.Delay(200, deadline.Token);
            items = (await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/events?after=0", deadline.Token))!["items"]!.AsArray();
        }
        while ((long)items[0]!["sequence"]! == 1);

        Assert.Equal(3L, (long)items[0]!["sequence"]!);
        Assert.Equal("export.completed", (string)items[^1]!["type"]!);
    }

    /// <summary>Appends <paramref name="count"/> events to a new tenant's log, as the writer would (sequences from 1).</summary>
    private Task AppendEventsAsync(TestTenant tenant, int count) =>
        system.ExecuteAsOwnerAsync(
            """
            INSERT INTO domain_events (tenant_id, sequence, id, aggregate, aggregate_id, type, payload, occurred_at)
            SELECT @tenant, s, gen_random_uuid(), 'export', gen_random_uuid(), 'progress', '{}', now() FROM generate_series(1, @count) s;
            UPDATE tenants SET last_event_sequence = @count WHERE id = @tenant;
            """,
            new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["count"] = count }, Token);
}
