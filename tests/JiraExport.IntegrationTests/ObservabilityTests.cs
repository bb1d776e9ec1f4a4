using System.Net;
using System.Net.Http.Json;
using System.Text;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// What Prometheus sees: each service's scrape endpoint on a port of its own, and the business meters that dashboards and
/// alert rules (deploy/prometheus) are written against, read after the events they count.
/// </summary>
public sealed class ObservabilityTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryServiceAnswersPrometheusOnItsOwnPortAndNotOnItsPublicOne()
    {
        using var client = new HttpClient();
        using (await client.GetAsync(new Uri(system.Api.BaseAddress, "/health"), Token))
        {
        }

        foreach (var service in new[] { system.Api, system.Worker, system.Realtime })
        {
            using var scrape = await client.GetAsync(service.MetricsAddress, Token);
            Assert.True(scrape.StatusCode == HttpStatusCode.OK, $"{service.Name}: {scrape.StatusCode}");
            Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var samples = PrometheusScrape.Parse(await scrape.Content.ReadAsStringAsync(Token));
            Assert.True(samples.Sum("dotnet_gc_collections_total") is not null, $"{service.Name} has no runtime metrics");

            using var onPublicPort = await client.GetAsync(new Uri(service.BaseAddress, "/metrics"), Token);
            Assert.True(onPublicPort.StatusCode == HttpStatusCode.NotFound, $"{service.Name} serves /metrics on its public port");
        }

        var api = await system.Api.ScrapeAsync(Token);
        Assert.True(api.Sum("http_server_request_duration_seconds_count", ("http_route", "/health")) is null,
            "health probes are not requests worth a latency objective");
        Assert.True(api.Sum("http_server_request_duration_seconds_count") > 0);
    }

    [Fact]
    public async Task AServiceAsDeployedAnswersItsScrapeOnEveryInterface()
    {
        // A pod's default (Metrics:Host "+"): no host a URI can hold, which once stopped every service from starting.
        await using var gateway = await ServiceProcess.StartAsync("JiraExport.Gateway", new Dictionary<string, string> { ["Metrics__Host"] = "+" }, Token);
        Assert.Contains(await gateway.ScrapeAsync(Token), s => s.Name.StartsWith("process_", StringComparison.Ordinal) || s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportsByFormatAndOutcomePdfPagesAndJiraDeliveriesByOutcomeAreCounted()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var before = await system.Worker.ScrapeAsync(Token);

        var pdf = await tenant.WaitForExportToFinishAsync(await tenant.RequestExportAsync("key = GAMMA-1", Token), Token);
        Assert.Equal("succeeded", pdf.Status);
        using (var csvRequest = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
                   new { connectionId = tenant.ConnectionId, jql = "project = GAMMA", format = "csv" }, Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, csvRequest.StatusCode);
            var csv = await tenant.WaitForExportToFinishAsync((await csvRequest.Content.ReadFromJsonAsync<ExportState>(Token))!.Id, Token);
            Assert.Equal("succeeded", csv.Status);
        }

        var after = await system.Worker.ScrapeAsync(Token);
        Assert.Equal(1, Increase(before, after, "jiraexport_exports_finished_total", ("format", "pdf"), ("status", "succeeded")));
        Assert.Equal(1, Increase(before, after, "jiraexport_exports_finished_total", ("format", "csv"), ("status", "succeeded")));
        Assert.Equal(0, Increase(before, after, "jiraexport_exports_finished_total", ("status", "failed")));
        var pages = Increase(before, after, "jiraexport_export_pages_total", ("format", "pdf"));
        Assert.True(pages >= 1, $"PDF pages counted: {pages}");
        Assert.Equal(0, Increase(before, after, "jiraexport_export_pages_total", ("format", "csv")));

        // Jira's deliveries: one taken, the same again (Jira retrying), one unsigned.
        var secret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        var body = JiraWebhookClient.IssueUpdated(10001, "GAMMA-1", "Counted by the intake");
        using var anonymous = system.CreateApiClient();
        var apiBefore = await system.Api.ScrapeAsync(Token);
        using (var taken = await anonymous.DeliverAsync(tenant.ConnectionId, body, JiraWebhookClient.Sign(body, secret), "counted-1", Token))
        using (var again = await anonymous.DeliverAsync(tenant.ConnectionId, body, JiraWebhookClient.Sign(body, secret), "counted-1", Token))
        using (var unsigned = await anonymous.DeliverAsync(tenant.ConnectionId, body, null, "counted-2", Token))
        {
            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Unauthorized], [taken.StatusCode, again.StatusCode, unsigned.StatusCode]);
        }

        // A scrape may be answered from the exporter's short cache, so the counts are awaited rather than read once.
        var apiAfter = await Polling.UntilAsync(() => system.Api.ScrapeAsync(Token),
            after => Outcomes.All(outcome => Increase(apiBefore, after, "jiraexport_jira_webhooks_received_total", ("outcome", outcome)) > 0),
            TimeSpan.FromSeconds(10), Token);
        foreach (var outcome in Outcomes)
        {
            Assert.True(Increase(apiBefore, apiAfter, "jiraexport_jira_webhooks_received_total", ("outcome", outcome)) == 1, outcome);
        }
    }

    private static readonly string[] Outcomes = ["accepted", "duplicate", "refused"];

    [Fact]
    public async Task TheWorkerReportsQueueDepthOutboxBacklogSyncLagAndTheSoonestExpiries()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using (var schedule = await tenant.Client.PutAsJsonAsync($"/api/v1/connections/{tenant.ConnectionId}/schedule",
                   new { cron = "0 3 1 1 *", jql = "project = GAMMA" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
        }

        // A connection whose data is 3 hours old, whose dynamic webhook runs out in 3 days, an outbox message set aside an
        // hour ago, and three jobs waiting in a parking queue nothing consumes.
        await system.ExecuteAsOwnerAsync("""
            UPDATE jira_connections SET sync_watermark = now() - interval '3 hours', dynamic_webhook_expires_at = now() + interval '3 days'
            WHERE id = @c;
            INSERT INTO outbox_messages (id, exchange, routing_key, type, payload, created_at, publish_attempts)
            VALUES (gen_random_uuid(), 'jx.operations-test', 'set-aside', 'OperationsTest', '{}', now() - interval '1 hour', 1000000);
            """, new Dictionary<string, object> { ["c"] = tenant.ConnectionId }, Token);
        await using (var messaging = await system.ConnectToMessagingAsync(Token))
        await using (var channel = await messaging.CreateChannelAsync(cancellationToken: Token))
        {
            for (var i = 0; i < 3; i++)
            {
                await channel.BasicPublishAsync(string.Empty, Core.Messaging.MessagingTopology.MailParkingQueue, mandatory: true, new RabbitMQ.Client.BasicProperties(), Encoding.UTF8.GetBytes("{}"), Token);
            }
        }

        var samples = await Polling.UntilAsync(
            () => system.Worker.ScrapeAsync(Token),
            s => s.Sum("jiraexport_queue_depth", ("queue", Core.Messaging.MessagingTopology.MailParkingQueue)) == 3
                 && s.Sum("jiraexport_sync_lag_seconds") >= TimeSpan.FromHours(3).TotalSeconds
                 && s.Sum("jiraexport_outbox_pending") >= 1,
            TimeSpan.FromSeconds(30), Token);

        Assert.InRange(samples.Sum("jiraexport_sync_lag_seconds")!.Value, TimeSpan.FromHours(3).TotalSeconds, TimeSpan.FromHours(3.1).TotalSeconds);
        Assert.InRange(samples.Sum("jiraexport_outbox_oldest_age_seconds")!.Value, TimeSpan.FromHours(1).TotalSeconds, TimeSpan.FromHours(1.1).TotalSeconds);
        Assert.InRange(samples.Sum("jiraexport_jira_dynamic_webhook_expiry_seconds")!.Value, TimeSpan.FromDays(2.99).TotalSeconds, TimeSpan.FromDays(3).TotalSeconds);
        Assert.Equal(0, samples.Sum("jiraexport_queue_depth", ("queue", Core.Messaging.MessagingTopology.ExportJobsQueue)));
        Assert.Null(samples.Sum("jiraexport_signing_certificate_expiry_seconds"));
    }

    private static double Increase(
        IReadOnlyList<PrometheusSample> before, IReadOnlyList<PrometheusSample> after, string name, params (string, string)[] labels) =>
        (after.Sum(name, labels) ?? 0) - (before.Sum(name, labels) ?? 0);
}
