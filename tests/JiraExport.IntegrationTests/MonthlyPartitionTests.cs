using System.Globalization;
using JiraExport.Core.Persistence;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The event log and the audit trail are partitioned by month: rows land in their month's partition, the Worker keeps the
/// coming months made, and the application's role cannot read a partition directly (where neither row-level security
/// nor the audit trail's triggers would apply).
/// </summary>
public sealed class MonthlyPartitionTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RowsLandInTheirMonthsPartitionAndTheComingMonthsAreMadeAhead()
    {
        var tenant = await system.CreateTenantAsync(Token);
        // An audited write, and a domain event (a sync's progress and completion).
        using var calendar = await tenant.Client.PutAsync("/api/v1/analytics/calendar",
            JsonContent("""{"timeZone":"Europe/Berlin","weekend":["saturday","sunday"]}"""), Token);
        Assert.True(calendar.IsSuccessStatusCode, await calendar.Content.ReadAsStringAsync(Token));
        await tenant.SyncAsync(new { mode = "full", projects = new[] { "ALPHA" } }, Token);

        var thisMonth = Month(DateTimeOffset.UtcNow);
        foreach (var table in new[] { "domain_events", "audit_log" })
        {
            var partitions = await PartitionsOfAsync(table);
            var coming = Enumerable.Range(0, 4).Select(m => $"partitions.{table}_{Month(DateTimeOffset.UtcNow.AddMonths(m))}");
            Assert.Superset(new HashSet<string>([.. coming, $"partitions.{table}_default"]), partitions.ToHashSet());
            var holding = await system.ReadAsOwnerAsync($"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE tenant_id = @tenant",
                new Dictionary<string, object> { ["tenant"] = tenant.TenantId }, Token);
            Assert.Equal([$"partitions.{table}_{thisMonth}"], holding);
        }
    }

    [Fact]
    public async Task TheApplicationsRoleReachesPartitionsOnlyThroughTheirTableAndMakesOnlyTheComingMonths()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var app = new NpgsqlConnection(system.AppConnectionString);
        await app.OpenAsync(Token);
        var month = Month(DateTimeOffset.UtcNow);
        foreach (var sql in new[]
        {
            $"SELECT count(*) FROM partitions.domain_events_{month}",
            $"SELECT count(*) FROM partitions.audit_log_{month}",
            $"DELETE FROM partitions.audit_log_{month}",
            "SELECT count(*) FROM partitions.domain_events_default",
            "SELECT * FROM partitions.create_months('domain_events', now() - interval '50 years', now())",
        })
        {
            await using var transaction = await app.BeginTransactionAsync(Token);
            await Execute(app, $"SET LOCAL app.tenant_id = '{tenant.TenantId}'");
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Execute(app, sql));
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.MessageText}");
        }

        // What the Worker calls: this month and the next three, nothing to make now.
        await using var ensure = new NpgsqlCommand("SELECT sum(created), sum(blocked) FROM ensure_monthly_partitions()", app);
        await using var reader = await ensure.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));
        Assert.Equal(0L, reader.GetInt64(0));
        Assert.Equal(0L, reader.GetInt64(1));
    }

    [Fact]
    public async Task AMonthWithoutItsPartitionGoesToTheDefaultAndIsMadeOnlyOnceTheDefaultHoldsNoneOfIt()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var later = DateTimeOffset.UtcNow.AddMonths(3);
        var partition = $"partitions.domain_events_{Month(later)}";
        await system.ExecuteAsOwnerAsync($"DROP TABLE {partition}", new Dictionary<string, object>(), Token);

        var parameters = new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["at"] = later };
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO domain_events (tenant_id, sequence, id, aggregate, aggregate_id, type, payload, occurred_at)
            VALUES (@tenant, 1000000, gen_random_uuid(), 'export', gen_random_uuid(), 'export.test', '{}', @at)
            """, parameters, Token);
        Assert.Equal(["partitions.domain_events_default"], await system.ReadAsOwnerAsync(
            "SELECT tableoid::regclass::text FROM domain_events WHERE tenant_id = @tenant AND sequence = 1000000", parameters, Token));

        // PostgreSQL refuses a partition for rows the default holds: the month is left to it, and said so.
        Assert.Equal(["0 1"], await EnsureAsync("domain_events"));
        await system.ExecuteAsOwnerAsync("DELETE FROM domain_events WHERE tenant_id = @tenant AND sequence = 1000000", parameters, Token);
        Assert.Equal(["1 0"], await EnsureAsync("domain_events"));
        Assert.Contains(partition, await PartitionsOfAsync("domain_events"));
    }

    [Fact]
    public async Task UpgradingADatabaseKeepsEveryEventAndAuditEntryInItsMonthAndTheWayBackKeepsThemToo()
    {
        // A database of its own at the migration before, holding rows of two months.
        var database = "jxpart" + Guid.NewGuid().ToString("N")[..10];
        await using (var server = new NpgsqlConnection(TestEnvironment.PostgresServer))
        {
            await server.OpenAsync(Token);
            await Execute(server, $"CREATE DATABASE {database}");
        }

        var owner = $"{TestEnvironment.PostgresServer};Database={database}";
        await using var db = new JiraExportDbContext(new DbContextOptionsBuilder<JiraExportDbContext>().UseNpgsql(owner).Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261207044219_AuditLog", Token);
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync(Token);
        var tenant = Guid.NewGuid();
        await Execute(connection, $"""
            INSERT INTO tenants (id, name, slug, created_at, last_event_sequence) VALUES ('{tenant}', 'Upgrade', 'upgrade-{tenant:N}', now(), 3);
            INSERT INTO domain_events (tenant_id, sequence, id, aggregate, aggregate_id, type, payload, occurred_at)
            SELECT '{tenant}', s, gen_random_uuid(), 'export', gen_random_uuid(), 'export.completed', jsonb_build_object('n', s),
                   CASE WHEN s = 1 THEN timestamptz '2026-10-15 12:00Z' ELSE timestamptz '2026-12-01 00:00Z' + s * interval '1 hour' END
            FROM generate_series(1, 3) s;
            INSERT INTO audit_log (tenant_id, sequence, occurred_at, actor_kind, actor_id, action, method, target, status, previous_hash, hash)
            SELECT '{tenant}', s, timestamptz '2026-10-31 23:59:58Z' + s * interval '1 second', 'user', gen_random_uuid(), 'UpdateTenant', 'PATCH', '/api/v1/tenant', 200,
                   sha256(s::text::bytea), sha256((s + 1)::text::bytea)
            FROM generate_series(1, 2) s;
            GRANT SELECT, INSERT ON domain_events, audit_log TO jiraexport_app;
            """);
        var before = await RowsAsync(connection);
        // The audit entries sit a second either side of midnight UTC, 31 October: one month each.

        await migrator.MigrateAsync(cancellationToken: Token);
        Assert.Equal(before, await RowsAsync(connection));
        // The running services keep their privileges (and get none more) before the migrator grants again.
        Assert.Equal(["t t f t t f"], await ReadAsync(connection, """
            SELECT concat_ws(' ', has_table_privilege('jiraexport_app', 'domain_events', 'SELECT'), has_table_privilege('jiraexport_app', 'domain_events', 'INSERT'),
                has_table_privilege('jiraexport_app', 'domain_events', 'DELETE'), has_table_privilege('jiraexport_app', 'audit_log', 'SELECT'),
                has_table_privilege('jiraexport_app', 'audit_log', 'INSERT'), has_table_privilege('jiraexport_app', 'audit_log', 'UPDATE'))
            """));
        Assert.Equal(
            ["audit_log partitions.audit_log_2026_10 1", "audit_log partitions.audit_log_2026_11 1",
             "domain_events partitions.domain_events_2026_10 1", "domain_events partitions.domain_events_2026_12 2"],
            await ReadAsync(connection, """
                SELECT 'domain_events ' || tableoid::regclass || ' ' || count(*) FROM domain_events GROUP BY tableoid
                UNION ALL SELECT 'audit_log ' || tableoid::regclass || ' ' || count(*) FROM audit_log GROUP BY tableoid ORDER BY 1
                """));

        await migrator.MigrateAsync("20261207044219_AuditLog", Token);
        Assert.Equal(before, await RowsAsync(connection));
        Assert.Equal(["r r"], await ReadAsync(connection,
            "SELECT string_agg(relkind::text, ' ' ORDER BY relname DESC) FROM pg_class WHERE oid IN ('domain_events'::regclass, 'audit_log'::regclass)"));
    }

    /// <summary>Every row of both tables, as text, in order: what an upgrade must keep.</summary>
    private static Task<List<string>> RowsAsync(NpgsqlConnection connection) => ReadAsync(connection, """
        SELECT row_to_json(e)::text FROM (SELECT * FROM domain_events ORDER BY tenant_id, sequence) e
        UNION ALL SELECT row_to_json(a)::text FROM (SELECT * FROM audit_log ORDER BY tenant_id, sequence) a
        """);

    private static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        var rows = new List<string>();
        while (await reader.ReadAsync(Token))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private Task<List<string>> EnsureAsync(string table) => system.ReadAsOwnerAsync(
        "SELECT created || ' ' || blocked FROM ensure_monthly_partitions() WHERE table_name = @table",
        new Dictionary<string, object> { ["table"] = table }, Token);

    private Task<List<string>> PartitionsOfAsync(string table) => system.ReadAsOwnerAsync(
        "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = @table::regclass",
        new Dictionary<string, object> { ["table"] = table }, Token);

    private static string Month(DateTimeOffset at) => at.ToString("yyyy_MM", CultureInfo.InvariantCulture);

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }
}
