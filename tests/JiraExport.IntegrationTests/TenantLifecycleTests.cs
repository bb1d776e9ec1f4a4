using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>active → suspended (refused, data kept) → deletion scheduled → purged (nothing left).</summary>
public sealed class TenantLifecycleTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASuspendedTenantIsRefusedButKeptAndAPurgedTenantLeavesNoRowBehind()
    {
        await using var doomed = await system.ArrangeBusyTenantAsync(Token);
        await using var bystander = await system.ArrangeBusyTenantAsync(Token);
        var realtimeKey = await CreateKeyAsync(doomed.Owner);

        await using (var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, realtimeKey, Token))
        {
            await listener.Connection.InvokeAsync("SubscribeToTenant", Token); // active: works
        }

        await AdminAsync($"/api/v1/tenants/{doomed.TenantId}/suspend", null);
        // The hub closes the connection for the suspension (the same key connected a moment ago), saying why.
        await using (var suspended = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, realtimeKey, Token))
        {
            var error = await suspended.Closed.WaitAsync(TimeSpan.FromSeconds(10), Token);
            Assert.Contains("This tenant is not active", error?.Message, StringComparison.Ordinal);
        }

        // Taken once the key's last use is stamped, which a use may do (once a minute).
        var bystanderBefore = await system.SnapshotTenantRowsAsync(bystander.TenantId, Token);
        var doomedBefore = await system.SnapshotTenantRowsAsync(doomed.TenantId, Token);
        Assert.All(doomedBefore, table => Assert.False(table.Value.StartsWith("0:", StringComparison.Ordinal), $"{table.Key} has no row to purge."));
        const string SsoLinks = "SELECT count(*) FROM user_logins WHERE login_provider = 'saml:' || replace(@tenant::text, '-', '')";
        Assert.Equal(1, await CountRowsAsync(SsoLinks, doomed.TenantId));

        using (var refused = await doomed.Owner.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Tenant suspended", await refused.Content.ReadAsStringAsync(Token));
        }

        // Everything it owns is kept as it was; only the tenant row itself records the suspension.
        var whileSuspended = await system.SnapshotTenantRowsAsync(doomed.TenantId, Token);
        Assert.Equal(doomedBefore.Where(t => t.Key != "tenants"), whileSuspended.Where(t => t.Key != "tenants"));

        await AdminAsync($"/api/v1/tenants/{doomed.TenantId}/resume", null);
        using (var back = await doomed.Owner.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }

        await AdminAsync($"/api/v1/tenants/{doomed.TenantId}/schedule-deletion", new { purgeAfterDays = 0 });

        // The Worker purges due tenants every half second here.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await CountRowsAsync("SELECT count(*) FROM tenants WHERE id = @tenant", doomed.TenantId) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The tenant was not purged within a minute. Worker: " + system.Worker.RecentOutput);
            await Task.Delay(250, Token);
        }

        foreach (var (table, column) in BusyTenants.TenantOwnedTables)
        {
            Assert.Equal(0, await CountRowsAsync($"SELECT count(*) FROM {table} WHERE {column} = @tenant", doomed.TenantId));
        }

        Assert.Equal(0, await CountRowsAsync("SELECT count(*) FROM users WHERE id = @tenant", doomed.UserId));
        Assert.Equal(0, await CountRowsAsync(SsoLinks, doomed.TenantId));
        Assert.Equal(0, await CountRowsAsync(
            "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND payload ->> 'tenantId' = @tenant::text", doomed.TenantId));
        Assert.Equal(bystanderBefore, await system.SnapshotTenantRowsAsync(bystander.TenantId, Token));

        using var signIn = await doomed.Owner.GetAsync("/api/v1/exports", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    /// <summary>An API key of the tenant (machines connect to Realtime with one).</summary>
    private static async Task<string> CreateKeyAsync(HttpClient owner)
    {
        using var response = await owner.PostAsJsonAsync("/api/v1/api-keys", new { name = "realtime", scopes = new[] { "exports:read" } }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Token)).GetProperty("key").GetString()!;
    }

    private async Task AdminAsync(string path, object? body)
    {
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var response = await admin.PostAsJsonAsync(path, body ?? new { }, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<long> CountRowsAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", id);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }
}
