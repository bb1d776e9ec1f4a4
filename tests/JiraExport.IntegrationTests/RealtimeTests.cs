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
    public async Task HubRefusesConnectionsWithoutAValidApiKey()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, "jx_notavalidkey000000000000000000000000000000", Token));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
