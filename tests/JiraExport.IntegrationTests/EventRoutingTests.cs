using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// A tenant's routing rules decide which events reach the hub's followers and its webhook subscriptions; the event log and
/// the tenant's group keep every event.
/// </summary>
public sealed class EventRoutingTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARuleKeepsAProjectsIssueChangesFromFollowersAndWebhooksUntilItIsRemovedWhileTheLogAndTheTenantGroupGetThemAll()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var issue = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[5];
        var secret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        using (var subscribed = await tenant.Client.PostAsJsonAsync("/api/v1/webhook-subscriptions",
            new { url = receiver.Url, eventTypes = new[] { "issue.changed", "export.completed" } }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var routing = await PutRoutingAsync(tenant, [new { eventTypes = new[] { "issue.changed" }, projectKeys = new[] { "gamma" }, toFollowers = false, toWebhooks = false }]);
        Assert.Equal("GAMMA", (string)routing["rules"]![0]!["projectKeys"]![0]!);

        await using var tenantGroup = await ConnectAsync(tenant);
        await using var follower = await ConnectAsync(tenant);
        var tenantHeard = Listen(tenantGroup, "issueChanged");
        var followerHeard = Listen(follower, "issueChanged");
        var exportNotices = Listen(follower, "projectExport");
        await tenantGroup.InvokeAsync<long>("SubscribeToTenant", Token);
        await follower.InvokeAsync("SubscribeToProject", tenant.ConnectionId, "GAMMA", Token);

        // Jira changes the issue: the tenant's group hears it and the log has it; its project's follower and the
        // webhook subscription do not.
        await system.EditAndDeliverAsync(tenant, issue, secret, "Routed past followers", Token);
        Assert.Equal(issue.Key, (await ReadAsync(tenantHeard)).GetProperty("key").GetString());
        var logged = await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/events?types=issue.changed", Token);
        Assert.Single(logged!["items"]!.AsArray());

        // An export of the project matches no rule: it goes everywhere. By the time its webhook arrives, the issue's
        // would have been sent long before.
        var exportId = await tenant.RequestExportAsync("project = GAMMA AND key = " + issue.Key, Token);
        var exported = await receiver.WaitForAsync(w => w.Type == "export.completed", Wait, Token);
        Assert.Equal(exportId, (Guid)exported.Json["data"]!["exportId"]!);
        Assert.Equal(exportId, (await ReadAsync(exportNotices)).GetProperty("exportId").GetGuid());
        Assert.DoesNotContain(receiver.Received, w => w.Type == "issue.changed");
        Assert.False(followerHeard.Reader.TryRead(out var leaked), $"A follower heard an issue change the rule keeps from followers: {leaked}");

        // The rule is removed: every instance forgets it before the answer, so the next change goes everywhere.
        await PutRoutingAsync(tenant, []);
        await system.EditAndDeliverAsync(tenant, issue, secret, "Routed everywhere", Token);
        Assert.Equal("Routed everywhere", (await ReadAsync(followerHeard)).GetProperty("summary").GetString());
        var changed = await receiver.WaitForAsync(w => w.Type == "issue.changed", Wait, Token);
        Assert.Equal(issue.Key, (string)changed.Json["data"]!["key"]!);
    }

    [Fact]
    public async Task RulesThatCannotMatchOrSayNothingAreRefusedSayingWhatToFixAndOnlyATenantAdminSetsThem()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var unknownType = await PutAsync(tenant.Client, [new { eventTypes = new[] { "issue.renamed" }, toFollowers = false, toWebhooks = true }]);
        Assert.Contains("issue.changed", await ErrorsAsync(unknownType, "rules[0].eventTypes"));
        var unsaid = await PutAsync(tenant.Client, [new { eventTypes = new[] { "sync.progress" }, toFollowers = false }]);
        Assert.Contains("toWebhooks", await ErrorsAsync(unsaid, "rules[0]"));
        var strangerConnection = await PutAsync(tenant.Client, [new { connectionIds = new[] { Guid.NewGuid() }, toFollowers = false, toWebhooks = false }]);
        Assert.Contains("No Jira connection", await ErrorsAsync(strangerConnection, "rules"));
        var tooMany = await PutAsync(tenant.Client, [.. Enumerable.Range(0, 51).Select(_ => new { toFollowers = true, toWebhooks = true })]);
        Assert.Contains("At most 50", await ErrorsAsync(tooMany, "rules"));

        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "reader", scopes = new[] { "exports:read" } }, Token);
        var readerKey = (string)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["key"]!;
        using var reader = system.CreateApiClient(readerKey);
        using var refused = await PutAsync(reader, []);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var current = await reader.GetFromJsonAsync<JsonObject>("/api/v1/tenant/event-routing", Token);
        Assert.Empty(current!["rules"]!.AsArray());
    }

    private static async Task<JsonObject> PutRoutingAsync(TestTenant tenant, object[] rules)
    {
        using var response = await PutAsync(tenant.Client, rules);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, object[] rules) =>
        client.PutAsJsonAsync("/api/v1/tenant/event-routing", new { rules }, Token);

    private static async Task<string> ErrorsAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            return string.Join(" ", problem["errors"]![field]!.AsArray().Select(e => (string)e!));
        }
    }

    private async Task<HubConnection> ConnectAsync(TestTenant tenant)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(system.Realtime.BaseAddress, "/hubs/exports"), options => options.Headers["X-Api-Key"] = tenant.ApiKey)
            .Build();
        await connection.StartAsync(Token);
        return connection;
    }

    private static Channel<JsonElement> Listen(HubConnection connection, string method)
    {
        var heard = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>(method, message => heard.Writer.TryWrite(message));
        return heard;
    }

    private static async Task<JsonElement> ReadAsync(Channel<JsonElement> heard)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(Wait);
        return await heard.Reader.ReadAsync(deadline.Token);
    }
}
