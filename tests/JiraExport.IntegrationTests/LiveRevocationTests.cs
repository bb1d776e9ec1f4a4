using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>An open SignalR connection ends when the credential it opened with stops being valid, not at its next reconnect.</summary>
public sealed class LiveRevocationTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALoggedOutSessionsConnectionIsClosed()
    {
        var account = await system.SignUpAsync(Token);
        var pair = await system.SignInAsync(account, Token);
        await using var listener = await ExportEventListener.ConnectWithAccessTokenAsync(system.Realtime.BaseAddress, pair.AccessToken, Token);

        using var user = system.CreateUserClient(pair.AccessToken);
        using var logout = await user.PostAsync("/api/v1/auth/logout", null, Token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        await AssertClosesAsync(listener);
    }

    [Fact]
    public async Task ARevokedApiKeysConnectionIsClosed()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        using var created = await owner.PostAsJsonAsync("/api/v1/api-keys", new { name = "dashboard", scopes = new[] { "exports:read" } }, Token);
        var key = (await created.Content.ReadFromJsonAsync<CreatedKey>(Token))!;
        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, key.Key, Token);

        using var revoked = await owner.DeleteAsync($"/api/v1/api-keys/{key.ApiKey.Id}", Token);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        await AssertClosesAsync(listener);
    }

    [Fact]
    public async Task ASuspendedTenantsConnectionIsClosedWhileAnActiveOnesStaysOpen()
    {
        var suspended = await system.CreateTenantAsync(Token);
        var active = await system.CreateTenantAsync(Token);
        await using var suspendedListener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, suspended.ApiKey, Token);
        await using var activeListener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, active.ApiKey, Token);

        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var suspend = await admin.PostAsync($"/api/v1/tenants/{suspended.TenantId}/suspend", null, Token);
        Assert.True(suspend.IsSuccessStatusCode);

        await AssertClosesAsync(suspendedListener);
        Assert.Equal(HubConnectionState.Connected, activeListener.Connection.State);
        await activeListener.Connection.InvokeAsync("SubscribeToTenant", Token);
    }

    private static async Task AssertClosesAsync(ExportEventListener listener)
    {
        var finished = await Task.WhenAny(listener.Closed, Task.Delay(CloseWithin, Token));
        Assert.True(finished == listener.Closed, $"The connection was still {listener.Connection.State} {CloseWithin.TotalSeconds} s after its credential ended.");
    }

    private sealed record KeyView(Guid Id);

    private sealed record CreatedKey(KeyView ApiKey, string Key);
}
