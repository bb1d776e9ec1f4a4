using System.Net;
using System.Net.Http.Json;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.IntegrationTests.Infrastructure;
using JiraExport.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Row-level security is the wall between tenants: these tests go around the Api straight to PostgreSQL.</summary>
public abstract class TenantIsolationTests(JiraExportSystem system)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplicationRoleOwnsNothingAndCannotBypassRowLevelSecurity()
    {
        await using var connection = await OpenAsAppAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.rolsuper, r.rolbypassrls,
                   (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)
            FROM pg_roles r WHERE r.rolname = current_user
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));
        Assert.False(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
        Assert.Equal(0, reader.GetInt64(2));
    }

    [Fact]
    public async Task EveryTenantOwnedTableForcesRowLevelSecurity()
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
            """, connection);
        var unprotected = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                unprotected.Add(reader.GetString(0));
            }
        }

        Assert.Empty(unprotected);
    }

    [Fact]
    public async Task WithoutATenantQueriesSeeNothingAndATenantSeesOnlyItsOwnRows()
    {
        var alpha = await system.CreateTenantAsync(Token);
        var beta = await system.CreateTenantAsync(Token);
        var alphaExport = await alpha.RequestExportAsync("key = DELTA-1", Token);
        await beta.RequestExportAsync("key = DELTA-2", Token);

        await using var connection = await OpenAsAppAsync();
        Assert.Equal(0, await CountExportsAsync(connection, tenantId: null));

        var seenByAlpha = await CountExportsAsync(connection, alpha.TenantId);
        Assert.Equal(1, seenByAlpha);

        // Even asking for the other tenant's row by id finds nothing.
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await SetTenantAsync(connection, beta.TenantId);
        await using var byId = new NpgsqlCommand("SELECT count(*) FROM exports WHERE id = @id", connection);
        byId.Parameters.AddWithValue("id", alphaExport);
        Assert.Equal(0L, await byId.ExecuteScalarAsync(Token));

        // And writing a row for another tenant is refused by the policy's WITH CHECK.
        await using var insert = new NpgsqlCommand(
            "INSERT INTO jira_connections (id, tenant_id, name, base_url, deployment, auth_type, encrypted_credential, created_at) " +
            "VALUES (gen_random_uuid(), @other, 'x', 'http://x', 'Cloud', 'Basic', 'x', now())", connection);
        insert.Parameters.AddWithValue("other", alpha.TenantId);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync(Token));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task TenantSettingEndsWithItsTransactionAndNeverReachesThePooledConnectionsNextUser()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var dataSource = NpgsqlDataSource.Create(system.AppConnectionString + ";Maximum Pool Size=1");
        await using (var connection = await dataSource.OpenConnectionAsync(Token))
        {
            await using var transaction = await connection.BeginTransactionAsync(Token);
            await SetTenantAsync(connection, tenant.TenantId);
            await transaction.CommitAsync(Token);
        }

        // The pool has one connection: this is the same physical connection, now without a tenant.
        await using var reused = await dataSource.OpenConnectionAsync(Token);
        await using var command = new NpgsqlCommand("SELECT coalesce(current_setting('app.tenant_id', true), ''), (SELECT count(*) FROM tenants)", reused);
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));
        Assert.Equal(string.Empty, reader.GetString(0));
        Assert.Equal(0, reader.GetInt64(1));
    }

    [Fact]
    public async Task APooledContextForgetsItsTenantWhenReturnedSoTheNextScopeSeesNothingUntilItNamesItsOwn()
    {
        var first = await system.CreateTenantAsync(Token);
        var second = await system.CreateTenantAsync(Token);
        await using var provider = new ServiceCollection()
            .AddTenantDbContext((_, options) => options.UseNpgsql(system.AppConnectionString).AddInterceptors(new TenantTransactionInterceptor()))
            .BuildServiceProvider();

        JiraExportDbContext rented;
        await using (var scope = provider.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(first.TenantId);
            rented = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            Assert.Equal([first.TenantId], await TenantsSeenAsync(rented));
            // Work left for a commit that never comes must not run on the next scope's commit.
            _ = await rented.Database.BeginTransactionAsync(Token);
            await rented.AfterCommitAsync(_ => throw new InvalidOperationException("Ran for the previous tenant."), Token);
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var again = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            Assert.Same(rented, again);
            Assert.Null(again.TenantId);
            Assert.Empty(await TenantsSeenAsync(again));
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(second.TenantId);
            Assert.Equal([second.TenantId], await TenantsSeenAsync(again));
        }

        // Straight from the factory, a context has no tenant at all.
        await using var unbound = await provider.GetRequiredService<IDbContextFactory<JiraExportDbContext>>().CreateDbContextAsync(Token);
        Assert.Empty(await TenantsSeenAsync(unbound));
    }

    /// <summary>The tenants a context sees with its query filters off: row-level security alone decides.</summary>
    private static async Task<List<Guid>> TenantsSeenAsync(JiraExportDbContext db)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(Token);
        var seen = await db.Tenants.IgnoreQueryFilters().Select(t => t.Id).ToListAsync(Token);
        await transaction.CommitAsync(Token);
        return seen;
    }

    [Fact]
    public async Task WithTheQueryFiltersSwitchedOffRowLevelSecurityAloneStillIsolates()
    {
        var tenants = new List<Guid>();
        foreach (var _ in new[] { 1, 2 })
        {
            await using var tenant = await system.ArrangeBusyTenantAsync(Token);
            tenants.Add(tenant.TenantId);
        }

        var services = new ServiceCollection()
            .AddTenantDbContext((_, options) => options
                .UseNpgsql(system.AppConnectionString)
                .AddInterceptors(new TenantTransactionInterceptor()));
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenants[0]);
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(Token);

        // Every tenant-owned entity, read with the EF filter off: only the first tenant's rows come back.
        var seen = new Dictionary<string, List<Guid>>
        {
            ["tenants"] = await db.Tenants.IgnoreQueryFilters().Select(t => t.Id).ToListAsync(Token),
            ["api_keys"] = await db.ApiKeys.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_connections"] = await db.JiraConnections.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["exports"] = await db.Exports.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["export_files"] = await db.ExportFiles.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["export_file_chunks"] = await db.ExportFileChunks.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["domain_events"] = await db.DomainEvents.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_memberships"] = await db.TenantMemberships.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["user_sessions"] = await db.UserSessions.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["refresh_tokens"] = await db.RefreshTokens.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["security_events"] = await db.SecurityEvents.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_usage_days"] = await db.TenantUsageDays.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_sso_settings"] = await db.TenantSsoSettings.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_issues"] = await db.SyncedIssues.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_status_transitions"] = await db.IssueStatusTransitions.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["sync_jobs"] = await db.SyncJobs.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["sync_schedules"] = await db.SyncSchedules.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_comments"] = await db.IssueComments.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_worklogs"] = await db.IssueWorklogs.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_sprints"] = await db.SyncedSprints.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_sprint_issues"] = await db.SprintIssues.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_issue_links"] = await db.IssueLinks.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_pdf_settings"] = await db.TenantPdfSettings.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["report_templates"] = await db.ReportTemplates.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["report_template_versions"] = await db.ReportTemplateVersions.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_branding"] = await db.TenantBrandings.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["invitations"] = await db.Invitations.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["idempotent_requests"] = await db.IdempotentRequests.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_feature_overrides"] = await db.TenantFeatureOverrides.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["feature_assignments"] = await db.FeatureAssignments.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_webhook_deliveries"] = await db.JiraWebhookDeliveries.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["webhook_subscriptions"] = await db.WebhookSubscriptions.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["webhook_deliveries"] = await db.WebhookDeliveries.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_event_routing"] = await db.TenantEventRoutings.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_issue_tombstones"] = await db.JiraIssueTombstones.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["jira_statuses"] = await db.SyncedStatuses.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["metric_definitions"] = await db.MetricDefinitions.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["metric_definition_versions"] = await db.MetricDefinitionVersions.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["tenant_work_calendars"] = await db.TenantWorkCalendars.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["report_schedules"] = await db.ReportSchedules.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["report_schedule_runs"] = await db.ReportScheduleRuns.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["dashboards"] = await db.Dashboards.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["principal_usage_days"] = await db.PrincipalUsageDays.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["audit_log"] = await db.AuditLog.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
            ["audit_chain_heads"] = await db.AuditChainHeads.IgnoreQueryFilters().Select(x => x.TenantId).ToListAsync(Token),
        };

        // The list above must name every entity that has a tenant, so a new table cannot slip past this test.
        var tenantOwned = db.Model.GetEntityTypes()
            .Where(e => e.FindProperty("TenantId") is not null || e.ClrType == typeof(Core.Domain.Tenant))
            .Select(e => e.GetTableName()!)
            .Order();
        Assert.Equal(tenantOwned, seen.Keys.Order());

        foreach (var (table, tenantIds) in seen)
        {
            Assert.True(tenantIds.Count > 0, $"{table}: the first tenant's own rows are missing.");
            Assert.True(tenantIds.All(id => id == tenants[0]), $"{table}: another tenant's row was visible.");
        }

        // The second tenant's rows are there all along, seen by the owner, who is not under the policies.
        await using var ownerConnection = new NpgsqlConnection(system.OwnerConnectionString);
        await ownerConnection.OpenAsync(Token);
        foreach (var table in seen.Keys)
        {
            var column = table == "tenants" ? "id" : "tenant_id";
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {column} = @other", ownerConnection);
            count.Parameters.AddWithValue("other", tenants[1]);
            Assert.True((long)(await count.ExecuteScalarAsync(Token))! > 0, $"{table}: the second tenant has no row to hide.");
        }
    }

    [Fact]
    public async Task EveryRouteAnswersItsOwnTenantsIdWithoutA404()
    {
        // The positive control of the test below: a 404 there means "another tenant's", not "no such route". Destructive
        // routes come last, sub-resources before their owners, and ending the caller's own session last of all.
        await using var owner = await system.ArrangeBusyTenantAsync(Token);
        var routes = TenantScopedRoutes.All
            .OrderBy(r => r.Method == "DELETE")
            .ThenBy(r => r.Id == TenantScopedRoutes.IdKind.Session)
            .ThenByDescending(r => r.Pattern.Length);
        foreach (var (method, pattern, kind) in routes)
        {
            using var response = await owner.Owner.SendAsync(IsolationRequest(method, pattern, owner.IdOf(kind)), Token);
            Assert.True(response.StatusCode != HttpStatusCode.NotFound,
                $"{method} {pattern} with the tenant's own {kind} id answered 404: {await response.Content.ReadAsStringAsync(Token)}");
        }
    }

    [Fact]
    public async Task EveryRouteGivenAnotherTenantsIdAnswers404AndChangesNothing()
    {
        await using var victim = await system.ArrangeBusyTenantAsync(Token);
        await using var attacker = await system.ArrangeBusyTenantAsync(Token);
        var before = await system.SnapshotTenantRowsAsync(victim.TenantId, Token);

        foreach (var (method, pattern, kind) in TenantScopedRoutes.All)
        {
            using var response = await attacker.Owner.SendAsync(IsolationRequest(method, pattern, victim.IdOf(kind)), Token);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound,
                $"{method} {pattern} with the other tenant's {kind} id answered {(int)response.StatusCode}, not 404.");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await system.SnapshotTenantRowsAsync(victim.TenantId, Token));

        // And no list shows the other tenant's rows.
        var victimIds = new[] { victim.ConnectionId, victim.ExportId, victim.ApiKeyId, victim.UserId, victim.SessionId, victim.TenantId, victim.SyncJobId, victim.TemplateId,
            victim.WebhookSubscriptionId, victim.WebhookDeliveryId, victim.FlowDefinitionId };
        using var victimIssues = await attacker.Owner.GetAsync($"/api/v1/issues?connectionId={victim.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, victimIssues.StatusCode);
        // The attacker's store holds the same Jira keys (both synced the simulator): the victim's connection must not answer.
        using var victimIssue = await attacker.Owner.GetAsync($"/api/v1/issues/{victim.SyncedIssueKey}?connectionId={victim.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, victimIssue.StatusCode);
        foreach (var list in new[] { "/api/v1/connections", "/api/v1/exports", "/api/v1/api-keys", "/api/v1/users", "/api/v1/auth/sessions",
                     "/api/v1/security-events", "/api/v1/tenant", "/api/v1/templates", "/api/v1/events",
                     "/api/v1/webhook-subscriptions", "/api/v1/analytics/definitions", "/api/v1/analytics/calendar" })
        {
            var body = await attacker.Owner.GetStringAsync(list, Token);
            Assert.DoesNotContain(victimIds, id => body.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase));
        }
    }

    private async Task<NpgsqlConnection> OpenAsAppAsync()
    {
        var connection = new NpgsqlConnection(system.AppConnectionString);
        await connection.OpenAsync(Token);
        return connection;
    }

    private static async Task<long> CountExportsAsync(NpgsqlConnection connection, Guid? tenantId)
    {
        await using var transaction = await connection.BeginTransactionAsync(Token);
        if (tenantId is { } id)
        {
            await SetTenantAsync(connection, id);
        }

        await using var command = new NpgsqlCommand("SELECT count(*) FROM exports", connection);
        var count = (long)(await command.ExecuteScalarAsync(Token))!;
        await transaction.CommitAsync(Token);
        return count;
    }

    private static async Task SetTenantAsync(NpgsqlConnection connection, Guid tenantId)
    {
        await using var command = new NpgsqlCommand("SELECT set_config('app.tenant_id', @tenant, true)", connection);
        command.Parameters.AddWithValue("tenant", tenantId.ToString());
        await command.ExecuteScalarAsync(Token);
    }

    /// <summary>The request for one tenant-scoped route, with a body that passes validation, so only the id decides the answer.</summary>
    private static HttpRequestMessage IsolationRequest(string method, string pattern, Guid id) => new(new HttpMethod(method), TenantScopedRoutes.Path(pattern, id))
    {
        Content = method switch
        {
            "PATCH" => JsonContent.Create(new { role = "viewer" }),
            "POST" => JsonContent.Create(new { }),
            // Valid for each PUT route (a schedule, a webhook subscription, a flow definition, a dashboard), so it is the id that is refused, not the body.
            "PUT" => JsonContent.Create(new
            {
                cron = "0 * * * *", jql = "project = DELTA", url = "https://hooks.example.com/jira", eventTypes = new[] { "export.failed" },
                name = "isolation", widgets = new[] { new { kind = "metric", name = "wip" } },
                rules = new { start = new { category = "indeterminate", crossing = "first" }, end = new { category = "done", crossing = "last" }, days = "calendar", counting = "inclusive" },
            }),
            _ => null,
        },
    };
}

/// <summary>The behaviour above, on API v1.</summary>
public sealed class TenantIsolationTestsOnV1(JiraExportSystem system) : TenantIsolationTests(system), IClassFixture<JiraExportSystem>;

/// <summary>The same behaviour on API v2.</summary>
public sealed class TenantIsolationTestsOnV2(JiraExportSystemOnV2 system) : TenantIsolationTests(system), IClassFixture<JiraExportSystemOnV2>;
