using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Tenants' webhooks out, checked by a real receiver that verifies them with the StandardWebhooks library.</summary>
public sealed class WebhookSubscriptionTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFinishedExportReachesTheReceiverSignedSoStandardWebhooksVerifiesIt()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        var (subscriptionId, secret) = await SubscribeAsync(tenant, new { url = receiver.Url, eventTypes = new[] { "export.completed" } });

        var exportId = await tenant.RequestExportAsync("key = GAMMA-2", Token);
        var webhook = await receiver.WaitForAsync(w => w.Type == "export.completed", Wait, Token);

        new StandardWebhook(secret).Verify(webhook.Body, webhook.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Base64Secret()).Verify(webhook.Body, webhook.Headers));
        Assert.Equal(exportId, (Guid)webhook.Json["data"]!["exportId"]!);
        Assert.Equal("succeeded", (string)webhook.Json["data"]!["status"]!);

        var delivery = await WaitForDeliveryAsync(tenant, subscriptionId, d => (string)d["status"]! == "delivered");
        Assert.Equal(webhook.Id, (string)delivery["id"]!);
        Assert.Equal(204, (int)delivery["lastStatusCode"]!);
        Assert.Equal(1, (int)delivery["attempts"]!);
        Assert.NotNull(delivery["lastLatencyMs"]);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task AfterARotationTheOldAndTheNewSecretBothVerifyADelivery()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        var (subscriptionId, oldSecret) = await SubscribeAsync(tenant, new { url = receiver.Url, eventTypes = new[] { "sync.completed" } });

        using var rotated = await tenant.Client.PostAsync($"/api/v1/webhook-subscriptions/{subscriptionId}/secret", null, Token);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal("no-store", rotated.Headers.CacheControl?.ToString());
        var rotation = (await rotated.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var newSecret = (string)rotation["secret"]!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.InRange((DateTimeOffset)rotation["previousSecretExpiresAt"]!, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

        using var test = await tenant.Client.PostAsync($"/api/v1/webhook-subscriptions/{subscriptionId}/test", null, Token);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var webhook = await receiver.WaitForAsync(w => w.Type == "webhook.test", Wait, Token);

        // The new secret's signature comes first: StandardWebhooks 1.1.2 reads only the first of several (the specification
        // allows any number), so a receiver on that library verifies once it has the new secret.
        new StandardWebhook(newSecret).Verify(webhook.Body, webhook.Headers);
        var signatures = webhook.Headers["webhook-signature"].ToString().Split(' ');
        Assert.Equal(2, signatures.Length);
        new StandardWebhook(oldSecret).Verify(webhook.Body, WithSignature(webhook.Headers, signatures[1]));
    }

    [Fact]
    public async Task AReceiverThatKeepsFailingIsRetriedThenItsSubscriptionIsDisabledWithTheReason()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        receiver.StatusCode = 500;
        receiver.ResponseBody = "the receiver broke";
        var (subscriptionId, _) = await SubscribeAsync(tenant, new { url = receiver.Url, eventTypes = new[] { "export.completed" } });

        await tenant.RequestExportAsync("key = GAMMA-2", Token);
        var failed = await WaitForDeliveryAsync(tenant, subscriptionId, d => (string)d["status"]! == "failed");

        // The first attempt and the two retries the tests' schedule has, all under the same webhook-id.
        Assert.Equal(3, (int)failed["attempts"]!);
        Assert.Equal(500, (int)failed["lastStatusCode"]!);
        Assert.Equal("the receiver broke", (string)failed["lastResponse"]!);
        Assert.Equal(3, receiver.Received.Count);
        Assert.All(receiver.Received, w => Assert.Equal((string)failed["id"]!, w.Id));
        var subscription = (await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/webhook-subscriptions/{subscriptionId}", Token))!;
        Assert.False((bool)subscription["enabled"]!);
        Assert.Contains("HTTP 500", (string)subscription["disabledReason"]!);
        Assert.Contains("the receiver broke", (string)subscription["disabledReason"]!);
    }

    [Fact]
    public async Task AFailedDeliveryIsReplayedOnceTheReceiverIsFixedAndTheSubscriptionEnabled()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        receiver.StatusCode = 503;
        var subscriptionRequest = new { url = receiver.Url, eventTypes = new[] { "export.completed" } };
        var (subscriptionId, secret) = await SubscribeAsync(tenant, subscriptionRequest);
        await tenant.RequestExportAsync("key = GAMMA-2", Token);
        var failedId = (string)(await WaitForDeliveryAsync(tenant, subscriptionId, d => (string)d["status"]! == "failed"))["id"]!;

        using var refused = await tenant.Client.PostAsync($"/api/v1/webhook-deliveries/{failedId}/replay", null, Token);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("enable it first", (await refused.Content.ReadFromJsonAsync<JsonObject>(Token))!["detail"]!.ToString());

        receiver.StatusCode = 200;
        using var enabled = await tenant.Client.PutAsJsonAsync($"/api/v1/webhook-subscriptions/{subscriptionId}",
            new { subscriptionRequest.url, subscriptionRequest.eventTypes, enabled = true }, Token);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Null((await enabled.Content.ReadFromJsonAsync<JsonObject>(Token))!["disabledReason"]);
        using var replayed = await tenant.Client.PostAsync($"/api/v1/webhook-deliveries/{failedId}/replay", null, Token);
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);

        var delivered = await WaitForDeliveryAsync(tenant, subscriptionId, d => (string)d["status"]! == "delivered");
        Assert.Equal(failedId, (string)delivered["id"]!);
        var last = receiver.Received[^1];
        Assert.Equal(failedId, last.Id);
        new StandardWebhook(secret).Verify(last.Body, last.Headers);
        var detail = (await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/webhook-deliveries/{failedId}", Token))!;
        Assert.Equal("export.completed", (string)detail["payload"]!["type"]!);
    }

    [Fact]
    public async Task AHostileAnswerIsKeptAsPlainTextAndTheAttemptStillCounts()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        // A NUL (PostgreSQL keeps none in text), a forged log line, and an emoji cut in half where the excerpt ends.
        receiver.StatusCode = 200;
        receiver.ResponseBody = "ok\0\r\n2026-12-06 fail: forged log line " + new string('a', 961) + "\U0001F600 and more";
        var (subscriptionId, _) = await SubscribeAsync(tenant, new { url = receiver.Url, eventTypes = new[] { "export.completed" } });

        using var test = await tenant.Client.PostAsync($"/api/v1/webhook-subscriptions/{subscriptionId}/test", null, Token);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var delivered = await WaitForDeliveryAsync(tenant, subscriptionId, d => (string)d["status"]! == "delivered");

        var kept = (string)delivered["lastResponse"]!;
        Assert.StartsWith("ok   2026-12-06 fail: forged log line aaa", kept);
        Assert.DoesNotContain(kept, char.IsControl);
        Assert.True(kept.Length <= 1000 && !char.IsHighSurrogate(kept[^1]), $"Kept {kept.Length} characters, ending in U+{(int)kept[^1]:X4}.");
    }

    [Fact]
    public async Task ATemplateFilterKeepsOtherExportsAway()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var lists = await WebhookReceiver.StartAsync(Token);
        await using var details = await WebhookReceiver.StartAsync(Token);
        await SubscribeAsync(tenant, new { url = lists.Url, eventTypes = new[] { "export.completed" }, templates = new[] { "issue-list" } });
        var (detailsId, _) = await SubscribeAsync(tenant, new { url = details.Url, eventTypes = new[] { "export.completed" }, templates = new[] { "issue-detail" } });

        var exportId = await tenant.RequestExportAsync("key = GAMMA-2", Token);
        var webhook = await lists.WaitForAsync(w => w.Type == "export.completed", Wait, Token);

        Assert.Equal(exportId, (Guid)webhook.Json["data"]!["exportId"]!);
        var detailDeliveries = (await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/webhook-subscriptions/{detailsId}/deliveries", Token))!;
        Assert.Empty(detailDeliveries["items"]!.AsArray());
        Assert.Empty(details.Received);
    }

    [Fact]
    public async Task AnIssueChangedInJiraReachesTheSubscriptionsOfItsProjectOnly()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var issue = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[0];
        await using var gamma = await WebhookReceiver.StartAsync(Token);
        await using var beta = await WebhookReceiver.StartAsync(Token);
        var (_, secret) = await SubscribeAsync(tenant, new { url = gamma.Url, eventTypes = new[] { "issue.changed" }, projectKeys = new[] { "gamma" } });
        var (betaId, _) = await SubscribeAsync(tenant, new { url = beta.Url, eventTypes = new[] { "issue.changed" }, projectKeys = new[] { "BETA" } });

        await system.EditJiraIssueAsync(issue.Key, "Changed for subscribers", Token);
        var body = JiraWebhookClient.IssueUpdated(issue.Id, issue.Key, "Changed for subscribers");
        var jiraSecret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        using var anonymous = system.CreateApiClient();
        using (var delivered = await anonymous.DeliverAsync(tenant.ConnectionId, body, JiraWebhookClient.Sign(body, jiraSecret), "edit", Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
        }

        var webhook = await gamma.WaitForAsync(w => w.Type == "issue.changed", Wait, Token);
        new StandardWebhook(secret).Verify(webhook.Body, webhook.Headers);
        Assert.Equal(issue.Key, (string)webhook.Json["data"]!["key"]!);
        Assert.Equal("Changed for subscribers", (string)webhook.Json["data"]!["summary"]!);
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/webhook-subscriptions/{betaId}/deliveries", Token))!["items"]!.AsArray());
    }

    [Fact]
    public async Task ASubscriptionToAnUnknownEventConnectionOrAddressIsRefusedSayingWhatIsWrong()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var badShape = await tenant.Client.PostAsJsonAsync("/api/v1/webhook-subscriptions",
            new { url = "ftp://user:pw@example.com/hooks", eventTypes = new[] { "export.exploded" } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, badShape.StatusCode);
        var errors = (await badShape.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!;
        Assert.Contains("http(s) URL", (string)errors["url"]![0]!);
        Assert.Contains("export.completed", (string)errors["eventTypes"]![0]!);

        var unknownConnection = Guid.NewGuid();
        using var badConnection = await tenant.Client.PostAsJsonAsync("/api/v1/webhook-subscriptions",
            new { url = "https://hooks.example.com/jira", eventTypes = new[] { "sync.failed" }, connectionIds = new[] { unknownConnection } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, badConnection.StatusCode);
        var connectionErrors = (await badConnection.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!;
        Assert.Contains(unknownConnection.ToString(), (string)connectionErrors["connectionIds"]![0]!);
    }

    private async Task<(Guid Id, string Secret)> SubscribeAsync(TestTenant tenant, object request)
    {
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/webhook-subscriptions", request, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var id = (Guid)body["subscription"]!["id"]!;
        Assert.Equal($"/api/v1/webhook-subscriptions/{id}", created.Headers.Location?.ToString());
        return (id, (string)body["secret"]!);
    }

    private static async Task<JsonObject> WaitForDeliveryAsync(TestTenant tenant, Guid subscriptionId, Func<JsonObject, bool> matches)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(Wait);
        JsonArray items = [];
        try
        {
            while (true)
            {
                items = (await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v1/webhook-subscriptions/{subscriptionId}/deliveries", deadline.Token))!["items"]!.AsArray();
                if (items.Select(i => i!.AsObject()).FirstOrDefault(matches) is { } delivery)
                {
                    return delivery;
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching delivery within {Wait}; the log: {items.ToJsonString()}");
        }
    }

    /// <summary>The headers with one signature of several, as a receiver that checks each in turn sees it.</summary>
    private static HeaderDictionary WithSignature(HeaderDictionary headers, string signature) =>
        new(headers.ToDictionary(h => h.Key, h => h.Key.Equals("webhook-signature", StringComparison.OrdinalIgnoreCase)
            ? new Microsoft.Extensions.Primitives.StringValues(signature) : h.Value, StringComparer.OrdinalIgnoreCase));

    private static string Base64Secret() => "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
