using System.Net;
using System.Net.Http.Json;
using JiraExport.Core.Audit;
using JiraExport.Core.Domain;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The tenant's audit trail: every change and every audited read goes in, chained by hashes, and the verify endpoint
/// finds the entry where someone with the database changed, deleted or rewrote it. The attacks are made as the database's
/// owner with triggers switched off (what only a superuser can do); the application's own role cannot even try.
/// </summary>
public sealed class AuditTrailTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangesAndAuditedReadsGoIntoTheTrailInOrderWithTheirActorAndOtherReadsDoNot()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using (var renamed = await tenant.Client.PatchAsJsonAsync("/api/v1/tenant", new { name = "Audited Ltd" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        var exportId = await tenant.RequestExportAsync("key = GAMMA-1", Token);
        await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.NotEmpty(await tenant.Client.GetByteArrayAsync($"/api/v1/exports/{exportId}/file", Token));
        using (await tenant.Client.GetAsync("/api/v1/exports", Token))
        {
        }

        var page = await tenant.Client.GetFromJsonAsync<AuditPage>("/api/v1/tenant/audit-log", Token);
        Assert.Equal(
            ["CreateTenant POST", "CreateConnection POST", "UpdateTenant PATCH", "RequestExport POST", "DownloadExportFile GET"],
            page!.Items.Select(e => $"{e.Action} {e.Method}"));
        Assert.Equal([1L, 2, 3, 4, 5], page.Items.Select(e => e.Sequence));
        // The platform operator made the tenant (the admin key names no one); its API key did the rest.
        Assert.Equal((PrincipalKinds.PlatformAdmin, Guid.Empty, 201), (page.Items[0].ActorKind, page.Items[0].ActorId, page.Items[0].Status));
        Assert.All(page.Items.Skip(1), e => Assert.Equal(PrincipalKinds.ApiKey, e.ActorKind));
        Assert.Single(page.Items.Skip(1).Select(e => e.ActorId).Distinct());
        Assert.Equal($"/api/v1/exports/{exportId}/file", page.Items[4].Target);

        // Reading the trail is itself audited; the walk finds every entry in place.
        var verified = await VerifyAsync(tenant);
        Assert.True(verified.Verified, verified.Problem);
        Assert.Equal(6, verified.Entries);
        Assert.Equal(6, verified.HeadSequence);

        // Another tenant's admin sees its own trail only.
        var other = await system.CreateTenantAsync(Token);
        var theirs = await other.Client.GetFromJsonAsync<AuditPage>("/api/v1/tenant/audit-log", Token);
        Assert.Equal(["CreateTenant", "CreateConnection"], theirs!.Items.Select(e => e.Action));
    }

    [Fact]
    public async Task WhatIsDoneToATenantFromOutsideItsEndpointsGoesIntoItsTrailTooByWhoeverDidIt()
    {
        // Signing up makes the tenant; its owner is the actor.
        var signedUp = await system.SignUpAsync(Token);

        // The platform operator changes its plan and a feature, with the admin key.
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using (var plan = await admin.PutAsJsonAsync($"/api/v1/tenants/{signedUp.TenantId}/plan", new
        {
            name = "bigger", maxConnections = 20, maxExportsPerDay = 1000, maxStoredMegabytes = 4096, maxApiRequestsPerMinute = 2400,
        }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        }

        using (var suspended = await admin.PostAsync($"/api/v1/tenants/{signedUp.TenantId}/suspend", null, Token))
        {
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        }

        using (var resumed = await admin.PostAsync($"/api/v1/tenants/{signedUp.TenantId}/resume", null, Token))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        using var owner = system.CreateApiClient();
        owner.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await system.SignInAsync(signedUp, Token)).AccessToken);

        // A person accepts an invitation: they are the actor of joining (the owner's invitation is the owner's).
        var email = $"member@{signedUp.Slug}.example.com";
        using var accepted = await system.InviteAndAcceptAsync(owner, email, "member", UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var memberId = (await accepted.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Token))!["userId"]!.GetValue<Guid>();

        var page = (await owner.GetFromJsonAsync<AuditPage>("/api/v1/tenant/audit-log", Token))!;
        Assert.Equal(
        [
            ("Signup", PrincipalKinds.User, signedUp.UserId, 201),
            ("SetTenantPlan", PrincipalKinds.PlatformAdmin, Guid.Empty, 200),
            ("SuspendTenant", PrincipalKinds.PlatformAdmin, Guid.Empty, 200),
            ("ResumeTenant", PrincipalKinds.PlatformAdmin, Guid.Empty, 200),
            ("InviteUser", PrincipalKinds.User, signedUp.UserId, 201),
            ("AcceptInvitation", PrincipalKinds.User, memberId, 200),
        ], page.Items.Select(e => (e.Action, e.ActorKind, e.ActorId, e.Status)));
        Assert.Equal($"/api/v1/tenants/{signedUp.TenantId}/suspend", page.Items[2].Target);
        var verified = (await owner.GetFromJsonAsync<Verification>("/api/v1/tenant/audit-log/verify", Token))!;
        Assert.True(verified.Verified, verified.Problem);
    }

    [Fact]
    public async Task AChangedEntryIsFoundWhereItWasChanged()
    {
        var tenant = await TenantWithEntriesAsync(4);
        Assert.True((await VerifyAsync(tenant)).Verified);

        await TamperAsync("UPDATE audit_log SET target = '/api/v1/nothing-to-see' WHERE tenant_id = @tenant AND sequence = 2", tenant);

        var broken = await VerifyAsync(tenant);
        Assert.False(broken.Verified);
        Assert.Equal(2, broken.BrokenAtSequence);
        Assert.Contains("was changed after it was written", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeletedEntryInTheMiddleOrAtTheEndIsFound()
    {
        var middle = await TenantWithEntriesAsync(4);
        await TamperAsync("DELETE FROM audit_log WHERE tenant_id = @tenant AND sequence = 2", middle);
        var gap = await VerifyAsync(middle);
        Assert.False(gap.Verified);
        Assert.Equal(2, gap.BrokenAtSequence);
        Assert.Contains("Entry 2 is missing", gap.Problem, StringComparison.Ordinal);

        // The last entries leave no gap behind them; the head still names how far the chain went.
        var end = await TenantWithEntriesAsync(4);
        var before = await VerifyAsync(end);
        await TamperAsync("DELETE FROM audit_log WHERE tenant_id = @tenant AND sequence >= @last - 1", end, before.HeadSequence);
        var cut = await VerifyAsync(end);
        Assert.False(cut.Verified);
        Assert.Contains("the last were deleted", cut.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainRewrittenWithoutTheKeyIsCaughtAndOneRewrittenWithTheKeyRingIsCaughtByAnAnchorKeptFromBefore()
    {
        // Someone with the database alone changes entry 2 and recomputes every hash after it and the head, with a key of
        // their own: they cannot read the chain's key, which the key ring (outside the database) decrypts.
        var withoutKey = await TenantWithEntriesAsync(4);
        await RewriteAsync(withoutKey, _ => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var caught = await VerifyAsync(withoutKey);
        Assert.False(caught.Verified);
        Assert.Equal(1, caught.BrokenAtSequence);

        // Someone with the database and the key ring can forge a consistent chain; a head hash noted before still shows it.
        var tenant = await TenantWithEntriesAsync(4);
        var anchor = await VerifyAsync(tenant);
        Assert.True(anchor.Verified);
        await RewriteAsync(tenant, keyProtected =>
        {
            using var keyRing = system.OpenKeyRing(withCertificate: true);
            return AuditChain.ReadKey(keyRing.GetRequiredService<IDataProtectionProvider>(), tenant.TenantId, keyProtected);
        });
        Assert.True((await VerifyAsync(tenant)).Verified);
        var rewritten = await VerifyAsync(tenant, anchor.HeadSequence, anchor.HeadHash);
        Assert.False(rewritten.Verified);
        Assert.Equal(anchor.HeadSequence, rewritten.BrokenAtSequence);
        Assert.Contains("no longer has the anchor's hash", rewritten.Problem, StringComparison.Ordinal);

        using var badAnchor = await tenant.Client.GetAsync("/api/v1/tenant/audit-log/verify?anchorSequence=1&anchorHash=xyz", Token);
        Assert.Equal(HttpStatusCode.BadRequest, badAnchor.StatusCode);
    }

    [Fact]
    public async Task TheApplicationsRoleCanOnlyAppendAnEntryThatFollowsTheHeadOfItsOwnTenantAndNotEvenTheOwnerCanChangeOne()
    {
        var tenant = await TenantWithEntriesAsync(2);
        var other = await TenantWithEntriesAsync(1);
        await using var app = new NpgsqlConnection(system.AppConnectionString);
        await app.OpenAsync(Token);
        foreach (var (attempt, sql, state) in new (string, string, string?)[]
        {
            ("update", "UPDATE audit_log SET target = 'x' WHERE sequence = 1", PostgresErrorCodes.InsufficientPrivilege),
            ("delete", "DELETE FROM audit_log WHERE sequence = 1", PostgresErrorCodes.InsufficientPrivilege),
            ("insert", "INSERT INTO audit_log (tenant_id, sequence, occurred_at, actor_kind, actor_id, action, method, target, status, previous_hash, hash) " +
                       $"VALUES ('{tenant.TenantId}', 99, now(), 'user', gen_random_uuid(), 'Forged', 'POST', '/x', 200, '\\x00', '\\x00')",
                PostgresErrorCodes.InsufficientPrivilege),
            ("move the head", "UPDATE audit_chain_heads SET sequence = 1", PostgresErrorCodes.InsufficientPrivilege),
            // Through the function, an entry must follow the head: one further on, or after another hash, is refused.
            ("append after a gap", $"SELECT append_audit_entry('{tenant.TenantId}', 99, now(), 'user', gen_random_uuid(), 'Forged', 'POST', '/x', 200, NULL, " +
                                   "(SELECT hash FROM audit_chain_heads), '\\x00')", null),
            ("append after another hash", $"SELECT append_audit_entry('{tenant.TenantId}', (SELECT sequence + 1 FROM audit_chain_heads), now(), 'user', " +
                                          "gen_random_uuid(), 'Forged', 'POST', '/x', 200, NULL, '\\x00', '\\x00')", null),
            ("append to another tenant", $"SELECT append_audit_entry('{other.TenantId}', 2, now(), 'user', gen_random_uuid(), 'Forged', 'POST', '/x', 200, NULL, " +
                                         "'\\x00', '\\x00')", null),
        })
        {
            await using var transaction = await app.BeginTransactionAsync(Token);
            await Execute(app, $"SET LOCAL app.tenant_id = '{tenant.TenantId}'");
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Execute(app, sql));
            Assert.True(state is null ? refused.SqlState == PostgresErrorCodes.RaiseException : refused.SqlState == state, $"{attempt}: {refused.MessageText}");
        }

        await using var owner = new NpgsqlConnection(system.OwnerConnectionString);
        await owner.OpenAsync(Token);
        var stopped = await Assert.ThrowsAsync<PostgresException>(() => Execute(owner, $"DELETE FROM audit_log WHERE tenant_id = '{tenant.TenantId}'"));
        Assert.Contains("append-only", stopped.MessageText, StringComparison.Ordinal);
        Assert.True((await VerifyAsync(tenant)).Verified);
        Assert.True((await VerifyAsync(other)).Verified);
    }

    /// <summary>
    /// As the database's owner with triggers off: entry 2's target changed, every hash after it recomputed with the key
    /// <paramref name="keyFor"/> gives for the chain's protected key, and the head moved to the new last hash.
    /// </summary>
    private async Task RewriteAsync(TestTenant tenant, Func<string, byte[]> keyFor)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await Execute(connection, "SET LOCAL session_replication_role = replica");
        string keyProtected;
        await using (var head = new NpgsqlCommand("SELECT key_protected FROM audit_chain_heads WHERE tenant_id = @tenant", connection))
        {
            head.Parameters.AddWithValue("tenant", tenant.TenantId);
            keyProtected = (string)(await head.ExecuteScalarAsync(Token))!;
        }

        var key = keyFor(keyProtected);
        var entries = new List<AuditEntry>();
        await using (var read = new NpgsqlCommand(
            "SELECT sequence, occurred_at, actor_kind, actor_id, action, method, target, status, ip_address FROM audit_log WHERE tenant_id = @tenant ORDER BY sequence",
            connection))
        {
            read.Parameters.AddWithValue("tenant", tenant.TenantId);
            await using var reader = await read.ExecuteReaderAsync(Token);
            while (await reader.ReadAsync(Token))
            {
                entries.Add(new AuditEntry
                {
                    TenantId = tenant.TenantId, Sequence = reader.GetInt64(0), OccurredAt = reader.GetFieldValue<DateTimeOffset>(1),
                    ActorKind = reader.GetString(2), ActorId = reader.GetGuid(3), Action = reader.GetString(4), Method = reader.GetString(5),
                    Target = reader.GetString(6), Status = reader.GetInt32(7), IpAddress = reader.IsDBNull(8) ? null : reader.GetString(8),
                    PreviousHash = [], Hash = [],
                });
            }
        }

        var previous = AuditChain.Genesis.ToArray();
        foreach (var entry in entries)
        {
            if (entry.Sequence == 2)
            {
                entry.Target = "/api/v1/nothing-to-see";
            }

            entry.PreviousHash = previous;
            entry.Hash = AuditChain.ComputeHash(entry, key);
            previous = entry.Hash;
            await using var write = new NpgsqlCommand(
                "UPDATE audit_log SET target = @target, previous_hash = @previous, hash = @hash WHERE tenant_id = @tenant AND sequence = @sequence", connection);
            write.Parameters.AddWithValue("target", entry.Target);
            write.Parameters.AddWithValue("previous", entry.PreviousHash);
            write.Parameters.AddWithValue("hash", entry.Hash);
            write.Parameters.AddWithValue("tenant", tenant.TenantId);
            write.Parameters.AddWithValue("sequence", entry.Sequence);
            await write.ExecuteNonQueryAsync(Token);
        }

        await using (var head = new NpgsqlCommand("UPDATE audit_chain_heads SET hash = @hash WHERE tenant_id = @tenant", connection))
        {
            head.Parameters.AddWithValue("hash", previous);
            head.Parameters.AddWithValue("tenant", tenant.TenantId);
            await head.ExecuteNonQueryAsync(Token);
        }

        await transaction.CommitAsync(Token);
    }

    /// <summary>A tenant whose trail holds <paramref name="count"/> entries or more: its connection, then renames.</summary>
    private async Task<TestTenant> TenantWithEntriesAsync(int count)
    {
        var tenant = await system.CreateTenantAsync(Token);
        for (var i = 1; i < count; i++)
        {
            using var renamed = await tenant.Client.PatchAsJsonAsync("/api/v1/tenant", new { name = $"Renamed {i}" }, Token);
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        return tenant;
    }

    private static async Task<Verification> VerifyAsync(TestTenant tenant, long? anchorSequence = null, string? anchorHash = null)
    {
        var query = anchorSequence is null ? "" : $"?anchorSequence={anchorSequence}&anchorHash={anchorHash}";
        return (await tenant.Client.GetFromJsonAsync<Verification>("/api/v1/tenant/audit-log/verify" + query, Token))!;
    }

    private async Task TamperAsync(string sql, TestTenant tenant, long last = 0)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        // Triggers off, as only a superuser can: the attack the chain is there to reveal.
        await Execute(connection, "SET LOCAL session_replication_role = replica");
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenant.TenantId);
        command.Parameters.AddWithValue("last", last);
        Assert.True(await command.ExecuteNonQueryAsync(Token) > 0);
        await transaction.CommitAsync(Token);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }

    private sealed record AuditPage(List<AuditItem> Items, long LastSequence, bool HasMore);

    private sealed record AuditItem(long Sequence, string ActorKind, Guid ActorId, string Action, string Method, string Target, int Status, string Hash);

    private sealed record Verification(bool Verified, long Entries, long HeadSequence, string HeadHash, long? BrokenAtSequence, string? Problem);
}
