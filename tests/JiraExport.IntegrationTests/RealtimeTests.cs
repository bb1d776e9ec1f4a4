using System.Text.Json;
using System.Threading.Channels;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The SignalR hub: scale-out through the Redis backplane, and group joins checked against the tenant.</summary>
public sealed class RealtimeTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientOfASecondRealtimeInstanceGetsEveryEventThroughTheBackplane()
    {
        // Both instances take turns on the shared event queue, so about half the events reach this client
        // only through Redis: a missing backplane shows up as a gap in the sequence.
        await using var second = await ServiceProcess.StartAsync("JiraExport.Realtime", system.RealtimeEnvironment(), Token);
        var tenant = await system.CreateTenantAsync(Token);
        await using var listener = await ExportEventListener.ConnectAsync(second.BaseAddress, tenant.ApiKey, Token);
        await listener.Connection.InvokeAsync("SubscribeToTenant", Token);

        var exportId = await tenant.RequestExportAsync("project = GAMMA ORDER BY key ASC", Token);
        var finished = await listener.WaitForFinishAsync(TimeSpan.FromMinutes(3), Token);
        Assert.Equal("succeeded", finished.Status);

        var sequences = listener.Events.Where(e => e.Event.ExportId == exportId).Select(e => e.Event.Sequence).Order().ToList();
        Assert.True(sequences.Count >= 4, $"Only {sequences.Count} events arrived.");
        Assert.Equal(Enumerable.Range((int)sequences[0], sequences.Count).Select(s => (long)s), sequences);
        Assert.Equal(1, sequences[0]);
    }

    [Fact]
    public async Task SubscribingToAnotherTenantsExportIsRefusedLikeAMissingOne()
    {
        var owner = await system.CreateTenantAsync(Token);
        var stranger = await system.CreateTenantAsync(Token);
        var exportId = await owner.RequestExportAsync("key = GAMMA-2", Token);

        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, stranger.ApiKey, Token);
        var refused = await Assert.ThrowsAsync<HubException>(() => listener.Connection.InvokeAsync("SubscribeToExport", exportId, Token));
        Assert.Contains("No export", refused.Message);

        await using var ownerListener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, owner.ApiKey, Token);
        await ownerListener.Connection.InvokeAsync("SubscribeToExport", exportId, Token);
    }

    [Fact]
    public async Task BrowserStyleAccessTokenAuthenticatesLikeTheHeader()
    {
        var tenant = await system.CreateTenantAsync(Token);
        // What @microsoft/signalr's accessTokenFactory does: a bearer token on negotiate, access_token on the socket.
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(system.Realtime.BaseAddress, "/hubs/exports"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(tenant.ApiKey))
            .Build();
        await connection.StartAsync(Token);
        await connection.InvokeAsync("SubscribeToTenant", Token);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task ADashboardHearsItsOwnTenantsCountersChangeAndNoOtherTenants()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var neighbour = await system.CreateTenantAsync(Token);
        await using var dashboard = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        await using var neighbours = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, neighbour.ApiKey, Token);
        var heard = Channel.CreateUnbounded<JsonElement>();
        var neighbourHeard = Channel.CreateUnbounded<JsonElement>();
        dashboard.Connection.On<JsonElement>("dashboardCounters", counters => heard.Writer.TryWrite(counters));
        neighbours.Connection.On<JsonElement>("dashboardCounters", counters => neighbourHeard.Writer.TryWrite(counters));
        var now = await dashboard.Connection.InvokeAsync<JsonElement>("SubscribeToDashboard", Token);
        var neighbourNow = await neighbours.Connection.InvokeAsync<JsonElement>("SubscribeToDashboard", Token);
        Assert.Equal(0, now.GetProperty("exportsQueued").GetInt32());

        // Three exports wait in the queue (no message was sent for them, so they stay there).
        await system.ExecuteAsOwnerAsync(
            "INSERT INTO exports (id, tenant_id, connection_id, jql, format, template, status, progress, attempts, created_at) " +
            "SELECT gen_random_uuid(), @tenant, @connection, 'key = BETA-1', 'pdf', 'issue-list', 'Queued', 0, 0, now() FROM generate_series(1, 3)",
            new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["connection"] = tenant.ConnectionId }, Token);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        JsonElement counters;
        do
        {
            counters = await heard.Reader.ReadAsync(deadline.Token);
        }
        while (counters.GetProperty("exportsQueued").GetInt32() != 3);

        Assert.Equal(0, counters.GetProperty("exportsRunning").GetInt32());
        await Task.Delay(500, Token);
        Assert.Equal(0, neighbourNow.GetProperty("exportsQueued").GetInt32());
        while (neighbourHeard.Reader.TryRead(out var neighbourCounters))
        {
            Assert.Equal(0, neighbourCounters.GetProperty("exportsQueued").GetInt32());
        }
    }

    [Fact]
    public async Task PeopleFollowingAProjectHearWhoExportsItUntilItEndsAndNoOneElseDoes()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var stranger = await system.CreateTenantAsync(Token);
        await using var gammaWatcher = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        await using var betaWatcher = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        await using var strangerWatcher = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, stranger.ApiKey, Token);
        var heard = Channel.CreateUnbounded<JsonElement>();
        var misdirected = Channel.CreateUnbounded<JsonElement>();
        gammaWatcher.Connection.On<JsonElement>("projectExport", notice => heard.Writer.TryWrite(notice));
        betaWatcher.Connection.On<JsonElement>("projectExport", notice => misdirected.Writer.TryWrite(notice));
        strangerWatcher.Connection.On<JsonElement>("projectExport", notice => misdirected.Writer.TryWrite(notice));
        await gammaWatcher.Connection.InvokeAsync("SubscribeToProject", tenant.ConnectionId, "gamma", Token);
        await betaWatcher.Connection.InvokeAsync("SubscribeToProject", tenant.ConnectionId, "BETA", Token);
        // The other tenant follows a project of the same key, on its own connection.
        await strangerWatcher.Connection.InvokeAsync("SubscribeToProject", stranger.ConnectionId, "GAMMA", Token);

        var exportId = await tenant.RequestExportAsync("project = GAMMA ORDER BY key ASC", Token);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        var notices = new List<JsonElement>();
        do
        {
            notices.Add(await heard.Reader.ReadAsync(deadline.Token));
        }
        while (notices[^1].GetProperty("status").GetString() is not ("succeeded" or "failed" or "cancelled"));

        Assert.All(notices, notice =>
        {
            Assert.Equal(exportId, notice.GetProperty("exportId").GetGuid());
            Assert.Equal(tenant.ConnectionId, notice.GetProperty("connectionId").GetGuid());
            Assert.Equal(["GAMMA"], notice.GetProperty("projectKeys").EnumerateArray().Select(k => k.GetString()));
            // Who asked stays out: the same data goes to the event log and to webhooks.
            Assert.False(notice.TryGetProperty("requestedBy", out _));
        });
        Assert.Equal("queued", notices[0].GetProperty("status").GetString());
        Assert.Contains(notices, notice => notice.GetProperty("status").GetString() == "running");
        Assert.Equal("succeeded", notices[^1].GetProperty("status").GetString());
        Assert.Equal(100, notices[^1].GetProperty("progress").GetInt32());

        // Whoever follows another project, or the same key in another tenant, heard nothing of it.
        await Task.Delay(500, Token);
        Assert.False(misdirected.Reader.TryRead(out var leaked), $"A notice reached someone not following the project: {leaked}");
    }

    [Fact]
    public async Task HubRefusesConnectionsWithoutAValidApiKey()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, "jx_notavalidkey000000000000000000000000000000", Token));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
