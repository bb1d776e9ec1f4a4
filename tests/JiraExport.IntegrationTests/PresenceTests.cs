using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Who is where, kept in Redis: the same on every Realtime instance, and per tenant whatever a client names.</summary>
public sealed class PresenceTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoRealtimeInstancesSeeWhoIsAtAnIssueAndWhoLeaves()
    {
        await using var second = await ServiceProcess.StartAsync("JiraExport.Realtime", system.RealtimeEnvironment(), Token);
        var tenant = await system.CreateTenantAsync(Token);
        var (editorKeyId, editorKey) = await CreateApiKeyAsync(tenant);
        var resource = $"issue:{tenant.ConnectionId}:GAMMA-1";

        await using var viewer = await ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey);
        var heard = Channel.CreateUnbounded<JsonElement>();
        viewer.On<JsonElement>("presenceChanged", notification => heard.Writer.TryWrite(notification));
        var alone = await viewer.InvokeAsync<JsonElement>("EnterPresence", resource, "viewing", Token);
        Assert.Equal(["viewing"], Activities(alone));

        // Another person, on the other instance, starts editing the same issue.
        await using (var editor = await ConnectAsync(second.BaseAddress, editorKey))
        {
            var both = await editor.InvokeAsync<JsonElement>("EnterPresence", resource, "editing", Token);
            Assert.Equal(["viewing", "editing"], Activities(both));
            Assert.Equal(editorKeyId, both.GetProperty("people")[1].GetProperty("id").GetGuid());

            var told = await ReadAsync(heard);
            Assert.Equal(resource, told.GetProperty("resource").GetString());
            Assert.Equal(["viewing", "editing"], Activities(told));

            // A renewal that changes nothing is not news.
            await editor.InvokeAsync<JsonElement>("EnterPresence", resource, "editing", Token);
        }

        // The editor's connection closed: the viewer is told it is alone again.
        var left = await ReadAsync(heard);
        Assert.Equal(["viewing"], Activities(left));
        Assert.False(heard.Reader.TryRead(out var extra), $"Told more than the changes: {extra}");
    }

    [Fact]
    public async Task AnotherTenantNamingTheSameResourceSeesOnlyItsOwnPeople()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var stranger = await system.CreateTenantAsync(Token);
        var resource = $"issue:{tenant.ConnectionId}:GAMMA-1";
        await using var viewer = await ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey);
        await viewer.InvokeAsync<JsonElement>("EnterPresence", resource, "viewing", Token);

        await using var prying = await ConnectAsync(system.Realtime.BaseAddress, stranger.ApiKey);
        var heard = Channel.CreateUnbounded<JsonElement>();
        prying.On<JsonElement>("presenceChanged", notification => heard.Writer.TryWrite(notification));
        var seen = await prying.InvokeAsync<JsonElement>("EnterPresence", resource, "viewing", Token);

        Assert.Equal(["viewing"], Activities(seen));
        await viewer.InvokeAsync<JsonElement>("EnterPresence", resource, "editing", Token);
        await viewer.InvokeAsync("LeavePresence", resource, Token);
        await Task.Delay(500, Token);
        Assert.False(heard.Reader.TryRead(out var leaked), $"The other tenant's presence reached this one: {leaked}");
    }

    [Fact]
    public async Task AnUnknownActivityOrResourceIsRefusedSayingWhatIsAllowed()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var client = await ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey);

        var activity = await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync<JsonElement>("EnterPresence", "dashboard:main", "lurking", Token));
        Assert.Contains("viewing, editing, exporting", activity.Message);
        var resource = await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync<JsonElement>("EnterPresence", "tenant:*", "viewing", Token));
        Assert.Contains("dashboard:{name}", resource.Message);
        await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync<JsonElement>("EnterPresence", "dashboard:main\n", "viewing", Token));
    }

    [Fact]
    public async Task OnePlaceHasOneNameAndAConnectionIsPresentAtThirtyTwoPlacesAtMost()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var client = await ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey);
        await client.InvokeAsync<JsonElement>("EnterPresence", $"issue:{tenant.ConnectionId.ToString().ToUpperInvariant()}:gamma-1", "viewing", Token);
        var same = await client.InvokeAsync<JsonElement>("EnterPresence", $"issue:{tenant.ConnectionId}:GAMMA-1", "editing", Token);
        Assert.Equal($"issue:{tenant.ConnectionId}:GAMMA-1", same.GetProperty("resource").GetString());
        Assert.Equal(["editing"], Activities(same));

        for (var i = 1; i < 32; i++)
        {
            await client.InvokeAsync<JsonElement>("EnterPresence", $"dashboard:board-{i}", "viewing", Token);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync<JsonElement>("EnterPresence", "dashboard:one-too-many", "viewing", Token));
        Assert.Contains("32 resources at most", refused.Message);
        await client.InvokeAsync("LeavePresence", "dashboard:board-1", Token);
        await client.InvokeAsync<JsonElement>("EnterPresence", "dashboard:one-too-many", "viewing", Token);
    }

    private static string[] Activities(JsonElement notification) =>
        [.. notification.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("activity").GetString()!)];

    private static async Task<JsonElement> ReadAsync(Channel<JsonElement> heard)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(Wait);
        return await heard.Reader.ReadAsync(deadline.Token);
    }

    private static async Task<HubConnection> ConnectAsync(Uri realtime, string apiKey)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(realtime, "/hubs/exports"), options => options.Headers["X-Api-Key"] = apiKey)
            .Build();
        await connection.StartAsync(Token);
        return connection;
    }

    private static async Task<(Guid Id, string Key)> CreateApiKeyAsync(TestTenant tenant)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "second person", scopes = new[] { "exports:read" } }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        return (created.GetProperty("apiKey").GetProperty("id").GetGuid(), created.GetProperty("key").GetString()!);
    }
}
