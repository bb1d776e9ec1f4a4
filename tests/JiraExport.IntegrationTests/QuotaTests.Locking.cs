using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

public sealed partial class QuotaTests
{
    /// <summary>
    /// Found by eng/load.sh: an export request holds its tenant's row (so the daily quota counts concurrent requests)
    /// until its audit entry is written. Held with FOR UPDATE, that row stopped every write that merely refers to the
    /// tenant (a foreign key's check takes FOR KEY SHARE): a sign-in's security event waited behind the export, while a
    /// download held the audit trail and waited behind the sign-in — deadlocks, answered as 409s to one export in four.
    /// </summary>
    [Fact]
    public async Task AnExportRequestWaitingForTheAuditTrailDoesNotHoldUpASignInOfItsTenant()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        using var connection = await owner.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "Simulator",
            baseUrl = system.SimulatorAddress.ToString(),
            deployment = "cloud",
            auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
        }, Token);
        Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        var connectionId = (await connection.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();

        // Another request's audit entry is being written: the export request waits for the trail, its tenant row held.
        await using var database = new NpgsqlConnection(system.OwnerConnectionString);
        await database.OpenAsync(Token);
        await using var auditWriter = await database.BeginTransactionAsync(Token);
        await using (var lockTrail = new NpgsqlCommand("SELECT 1 FROM audit_chain_heads WHERE tenant_id = @tenant FOR UPDATE", database, auditWriter))
        {
            lockTrail.Parameters.AddWithValue("tenant", account.TenantId);
            Assert.Equal(1, await lockTrail.ExecuteScalarAsync(Token));
        }

        var export = owner.PostAsJsonAsync("/api/v1/exports", new { connectionId, jql = "key = ALPHA-1", format = "csv" }, Token);
        await WaitUntilBlockedByAsync(database.ProcessID);

        var signIn = system.RequestTokenAsync(account.Email, account.Password, Token);
        var first = await Task.WhenAny(signIn, Task.Delay(TimeSpan.FromSeconds(30), Token));
        await auditWriter.RollbackAsync(Token);
        Assert.True(first == signIn, "The sign-in waited for the export request's lock on its tenant.");
        Assert.Equal(HttpStatusCode.OK, (await signIn).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await export).StatusCode);
    }

    /// <summary>Until a backend waits for a lock that backend <paramref name="holder"/> holds (the export request, behind the audit trail).</summary>
    private async Task WaitUntilBlockedByAsync(int holder)
    {
        var waiting = await Polling.UntilAsync(
            async () => (await system.ReadAsOwnerAsync(
                "SELECT count(*)::text FROM pg_stat_activity WHERE @holder = ANY(pg_blocking_pids(pid))",
                new Dictionary<string, object> { ["holder"] = holder }, Token)).Single(),
            count => count != "0", TimeSpan.FromSeconds(30), Token);
        Assert.True(waiting != "0", "The export request never waited for the audit trail.");
    }
}
