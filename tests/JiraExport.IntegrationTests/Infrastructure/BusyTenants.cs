using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;
using Xunit;
using JiraExport.Tests.Shared;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>A tenant with a row in every tenant-owned table, and a digest of those rows, for isolation and purge tests.</summary>
public static class BusyTenants
{
    /// <summary>The tenant-owned tables and the column that names the tenant.</summary>
    public static readonly IReadOnlyList<(string Table, string Column)> TenantOwnedTables =
    [
        ("tenants", "id"), ("api_keys", "tenant_id"), ("jira_connections", "tenant_id"), ("exports", "tenant_id"),
        ("export_files", "tenant_id"), ("export_file_chunks", "tenant_id"), ("domain_events", "tenant_id"), ("tenant_memberships", "tenant_id"),
        ("user_sessions", "tenant_id"), ("refresh_tokens", "tenant_id"), ("security_events", "tenant_id"),
        ("tenant_usage_days", "tenant_id"), ("tenant_sso_settings", "tenant_id"), ("jira_issues", "tenant_id"),
        ("jira_status_transitions", "tenant_id"), ("sync_jobs", "tenant_id"), ("sync_schedules", "tenant_id"),
        ("jira_comments", "tenant_id"), ("jira_worklogs", "tenant_id"), ("jira_sprints", "tenant_id"), ("jira_sprint_issues", "tenant_id"),
        ("jira_issue_links", "tenant_id"), ("tenant_pdf_settings", "tenant_id"),
        ("report_templates", "tenant_id"), ("report_template_versions", "tenant_id"), ("tenant_branding", "tenant_id"),
        ("invitations", "tenant_id"), ("jira_webhook_deliveries", "tenant_id"),
        ("webhook_subscriptions", "tenant_id"), ("webhook_deliveries", "tenant_id"), ("tenant_event_routing", "tenant_id"),
        ("jira_issue_tombstones", "tenant_id"), ("jira_statuses", "tenant_id"), ("metric_definitions", "tenant_id"),
        ("metric_definition_versions", "tenant_id"), ("tenant_work_calendars", "tenant_id"), ("report_schedules", "tenant_id"),
        ("report_schedule_runs", "tenant_id"), ("dashboards", "tenant_id"), ("principal_usage_days", "tenant_id"),
        ("audit_log", "tenant_id"), ("audit_chain_heads", "tenant_id"),
    ];

    /// <summary>A signed-up tenant with a row in every tenant-owned table, its export finished.</summary>
    public static async Task<BusyTenant> ArrangeBusyTenantAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        var account = await system.SignUpAsync(cancellationToken);
        var pair = await system.SignInAsync(account, cancellationToken);
        var owner = system.CreateUserClient(pair.AccessToken);
        // With an Idempotency-Key, so the tenant has a kept answer too.
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/api-keys")
        {
            Content = JsonContent.Create(new { name = "k", scopes = new[] { "exports:read" } }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        using var key = await owner.SendAsync(keyRequest, cancellationToken);
        var apiKeyId = (await key.Content.ReadFromJsonAsync<CreatedKey>(cancellationToken))!.ApiKey.Id;
        using var connection = await owner.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "Simulator",
            baseUrl = system.SimulatorAddress.ToString(),
            deployment = "cloud",
            auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
        }, cancellationToken);
        var connectionId = (await connection.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        using var export = await owner.PostAsJsonAsync("/api/v1/exports",
            new { connectionId, jql = "key = DELTA-3", format = "pdf", template = "issue-list" }, cancellationToken);
        var exportId = (await export.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        var asTenant = new TestTenant(account.TenantId, "", connectionId, owner);
        var finished = await asTenant.WaitForExportToFinishAsync(exportId, cancellationToken);
        Assert.Equal("succeeded", finished.Status);
        // Synced issues with transitions, comments, worklogs, sprints and links: DELTA's finished issues have them all.
        var sync = await asTenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND status = Done" }, cancellationToken);
        var syncedIssueKey = (await asTenant.ListStoredIssuesAsync(string.Empty, cancellationToken))[0].Key;
        // A feature assignment (a v2 search with fields) and a feature override set by the operator.
        using var withFields = await owner.GetAsync($"/api/v2/issues?connectionId={connectionId}&fields=labels", cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, withFields.StatusCode);
        using var operatorClient = system.CreateApiClient();
        operatorClient.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var forced = await operatorClient.PutAsJsonAsync(
            $"/api/v2/tenants/{account.TenantId}/features/IssueFieldSelection", new { variant = "on" }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, forced.StatusCode);
        // A schedule that will not fire during a test (New Year).
        using var schedule = await owner.PutAsJsonAsync($"/api/v1/connections/{connectionId}/schedule", new { cron = "0 0 1 1 *" }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, schedule.StatusCode);
        // Jira webhook deliveries, signed with the connection's secret: a project change (no stored issue is of ALPHA, so
        // nothing changes) and the deletion of a stored issue deleted in Jira (its tombstone stays), both applied before
        // any snapshot of the tenant's rows. The issue deleted is the tenant's last one, never DELTA-3 (exported above).
        var secret = await owner.RotateWebhookSecretAsync(connectionId, cancellationToken);
        var deleted = (await asTenant.ListStoredIssuesAsync(string.Empty, cancellationToken)).Last(i => i.Key != "DELTA-3");
        await system.DeleteJiraIssueAsync(deleted.Key, cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string[] deliveries =
        [
            $$$"""{"timestamp":{{{now}}},"webhookEvent":"project_updated","project":{"id":"10000","key":"ALPHA"}}""",
            $$$"""{"timestamp":{{{now}}},"webhookEvent":"jira:issue_deleted","issue":{"id":"{{{deleted.Id}}}","key":"{{{deleted.Key}}}"}}""",
        ];
        using (var anonymous = system.CreateApiClient())
        {
            foreach (var (delivery, index) in deliveries.Select((d, i) => (System.Text.Encoding.UTF8.GetBytes(d), i)))
            {
                using var delivered = await anonymous.DeliverAsync(connectionId, delivery, JiraWebhookClient.Sign(delivery, secret), $"busy-tenant-{index}", cancellationToken);
                Assert.Equal(System.Net.HttpStatusCode.Accepted, delivered.StatusCode);
            }
        }

        var applied = await Polling.UntilAsync(() => system.ReadAsOwnerAsync(
                "SELECT outcome FROM jira_webhook_deliveries WHERE connection_id = @c AND processed_at IS NOT NULL",
                new Dictionary<string, object> { ["c"] = connectionId }, cancellationToken),
            outcomes => outcomes.Count == deliveries.Length, TimeSpan.FromSeconds(30), cancellationToken);
        Assert.Contains("deleted 1", applied);
        // A routing rule.
        using var routing = await owner.PutAsJsonAsync("/api/v1/tenant/event-routing",
            new { rules = new[] { new { eventTypes = new[] { "sync.progress" }, toFollowers = false, toWebhooks = false } } }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, routing.StatusCode);

        // A flow definition and the tenant's work calendar.
        using var definition = await owner.PostAsJsonAsync("/api/v1/analytics/definitions", new
        {
            name = "busy-flow",
            rules = new { start = new { statuses = new[] { "In Progress" }, crossing = "first" }, end = new { category = "done", crossing = "last" }, days = "business", counting = "elapsed" },
        }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, definition.StatusCode);
        var definitionId = (await definition.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        using var dashboard = await owner.PostAsJsonAsync("/api/v1/analytics/dashboards",
            new
            {
                name = "busy-board",
                widgets = new[] { new { kind = "chart", name = "throughput-run", title = "Done per day" }, new { kind = "metric", name = "wip", title = "In progress" } },
            }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, dashboard.StatusCode);
        var dashboardId = (await dashboard.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        using var calendar = await owner.PutAsJsonAsync("/api/v1/analytics/calendar", new { timeZone = "Europe/Berlin", holidays = new[] { "2026-12-25" } }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, calendar.StatusCode);

        // A scheduled report with a run in its history (written as the owner: a real run would still be rendering).
        using var reportSchedule = await owner.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "busy-pack", connectionId, jql = "project = DELTA", cron = "0 8 * * MON", recipients = new[] { $"pack@{account.Slug}.example.com" },
        }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, reportSchedule.StatusCode);
        var scheduleId = (await reportSchedule.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO report_schedule_runs (id, tenant_id, schedule_id, due_at, status, mails_queued, mails_sent, error, created_at, completed_at)
            VALUES (gen_random_uuid(), @tenant, @schedule, now(), 'Failed', 0, 0, 'The export failed: busy.', now(), now())
            """, new Dictionary<string, object> { ["tenant"] = account.TenantId, ["schedule"] = scheduleId }, cancellationToken);

        using var policy = await owner.PutAsJsonAsync("/api/v1/tenant/export-policy", new { watermark = new { text = "CONFIDENTIAL" } }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, policy.StatusCode);
        // A template with a published version, and the tenant's branding.
        using var template = await owner.PostAsJsonAsync("/api/v1/templates", new { name = "busy-report", copyFrom = "issue-list" }, cancellationToken);
        var templateId = (await template.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        using var published = await owner.PostAsJsonAsync($"/api/v1/templates/{templateId}/publish", new { note = "first" }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, published.StatusCode);
        using var branding = await owner.PutAsJsonAsync("/api/v1/tenant/branding", new { companyName = "Busy Ltd", accentColor = "#0f766e" }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, branding.StatusCode);
        // An invitation still waiting for its person.
        using var invitation = await owner.PostAsJsonAsync("/api/v1/users", new { email = $"invitee@{account.Slug}.example.com", role = "viewer" }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, invitation.StatusCode);
        var invitationId = (await invitation.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        // A webhook subscription whose test send has failed (nothing listens on the discard port).
        var (subscriptionId, deliveryId) = await ArrangeFailedWebhookAsync(owner, cancellationToken);
        // SSO settings, and the owner's account linked to the tenant's SAML identity provider by one sign-in.
        using var idp = new TestSamlIdentityProvider();
        await owner.ConfigureSamlAsync(idp, cancellationToken);
        var samlRequest = await system.StartSamlSignInAsync(account.Slug, idp, cancellationToken);
        using var samlSignIn = await system.PostToAcsAsync(
            account.Slug, idp.CreateResponse(SamlSignIns.ValidResponse(account.Email, samlRequest)), samlRequest, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, samlSignIn.StatusCode);
        var sessionId = Guid.Parse(new JsonWebToken(pair.AccessToken).GetClaim("sid").Value);
        // The owner's requests, counted per person once the Api flushes its tally (every half second here).
        await Polling.UntilAsync(() => system.ReadAsOwnerAsync("SELECT count(*)::text FROM principal_usage_days WHERE tenant_id = @tenant",
            new Dictionary<string, object> { ["tenant"] = account.TenantId }, cancellationToken), rows => rows.Single() != "0", TimeSpan.FromSeconds(20), cancellationToken);
        return new BusyTenant(account.TenantId, account.UserId, sessionId, apiKeyId, connectionId, exportId, sync.Id, syncedIssueKey, templateId,
            invitationId, subscriptionId, deliveryId, definitionId, scheduleId, dashboardId, owner);
    }

    private static async Task<(Guid SubscriptionId, Guid DeliveryId)> ArrangeFailedWebhookAsync(HttpClient owner, CancellationToken cancellationToken)
    {
        using var created = await owner.PostAsJsonAsync("/api/v1/webhook-subscriptions",
            new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "export.failed" } }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var subscriptionId = (await created.Content.ReadFromJsonAsync<CreatedSubscription>(cancellationToken))!.Subscription.Id;
        using var test = await owner.PostAsync($"/api/v1/webhook-subscriptions/{subscriptionId}/test", null, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, test.StatusCode);
        var deliveryId = (await test.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        // Settled before the isolation tests take their snapshot of the tenant's rows.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while ((await owner.GetFromJsonAsync<DeliveryStatus>($"/api/v1/webhook-deliveries/{deliveryId}", deadline.Token))!.Status == "pending")
        {
            await Task.Delay(100, deadline.Token);
        }

        return (subscriptionId, deliveryId);
    }

    /// <summary>A digest of every row the tenant owns, table by table, read as the owner (usage counters aside).</summary>
    public static async Task<Dictionary<string, string>> SnapshotTenantRowsAsync(
        this JiraExportSystem system, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        var digests = new Dictionary<string, string>();
        // Usage counters move by themselves (the tenant's own requests are flushed into them every few seconds).
        foreach (var (table, column) in TenantOwnedTables.Where(t => t.Table != "tenant_usage_days"))
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t WHERE {column} = @tenant",
                connection);
            command.Parameters.AddWithValue("tenant", tenantId);
            digests[table] = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return digests;
    }

    private sealed record IdOnly(Guid Id);

    private sealed record KeyOnly(Guid Id);

    private sealed record CreatedSubscription(IdOnly Subscription);

    private sealed record DeliveryStatus(string Status);

    private sealed record CreatedKey(KeyOnly ApiKey);
}

public sealed record BusyTenant(
    Guid TenantId, Guid UserId, Guid SessionId, Guid ApiKeyId, Guid ConnectionId, Guid ExportId, Guid SyncJobId, string SyncedIssueKey, Guid TemplateId,
    Guid InvitationId, Guid WebhookSubscriptionId, Guid WebhookDeliveryId, Guid FlowDefinitionId, Guid ReportScheduleId, Guid DashboardId, HttpClient Owner) : IAsyncDisposable
{
    public Guid IdOf(TenantScopedRoutes.IdKind kind) => kind switch
    {
        TenantScopedRoutes.IdKind.Connection => ConnectionId,
        TenantScopedRoutes.IdKind.Export => ExportId,
        TenantScopedRoutes.IdKind.ApiKey => ApiKeyId,
        TenantScopedRoutes.IdKind.User => UserId,
        TenantScopedRoutes.IdKind.SyncJob => SyncJobId,
        TenantScopedRoutes.IdKind.Template => TemplateId,
        TenantScopedRoutes.IdKind.Invitation => InvitationId,
        TenantScopedRoutes.IdKind.WebhookSubscription => WebhookSubscriptionId,
        TenantScopedRoutes.IdKind.WebhookDelivery => WebhookDeliveryId,
        TenantScopedRoutes.IdKind.FlowDefinition => FlowDefinitionId,
        TenantScopedRoutes.IdKind.ReportSchedule => ReportScheduleId,
        TenantScopedRoutes.IdKind.Dashboard => DashboardId,
        _ => SessionId,
    };

    public ValueTask DisposeAsync()
    {
        Owner.Dispose();
        return ValueTask.CompletedTask;
    }
}
