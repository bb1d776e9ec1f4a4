using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The plan's quotas: each hit is a problem that names the quota, its limit and when it resets.</summary>
public sealed partial class QuotaTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverySyncRunIsCountedInTheDaysUsage()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "key = ALPHA-1" }, Token);
        await tenant.SyncAsync(new { mode = "incremental" }, Token);

        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
        Assert.Equal(2, usage.GetProperty("days")[0].GetProperty("syncRuns").GetInt32());
    }

    [Fact]
    public async Task ABulkExportCountsOnceInTheUsageAsInTheQuota()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var bulk = await tenant.RequestBulkExportAsync(
            new { connectionId = tenant.ConnectionId, splitBy = "issue", jql = "key in (ALPHA-1, ALPHA-2, ALPHA-3)", format = "csv" }, Token);
        await tenant.WaitForBulkExportAsync(bulk, Token);

        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
        Assert.Equal(1, usage.GetProperty("exportsToday").GetInt32());
    }

    [Fact]
    public async Task QuotasOnConnectionsExportsAndRequestsAnswerProblemsNamingTheQuota()
    {
        var tenant = await system.CreateTenantAsync(Token); // it has one connection already
        await SetPlanAsync(tenant.TenantId, maxConnections: 1, maxExportsPerDay: 1, maxApiRequestsPerMinute: 10_000);

        using (var second = await tenant.Client.PostAsJsonAsync("/api/v1/connections", new
               {
                   name = "Second",
                   baseUrl = system.SimulatorAddress.ToString(),
                   deployment = "cloud",
                   auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
               }, Token))
        {
            var problem = await ReadQuotaProblemAsync(second, HttpStatusCode.Forbidden, "connections", 1);
            Assert.Equal(JsonValueKind.Null, problem.GetProperty("resetsAt").ValueKind);
        }

        await tenant.RequestExportAsync("key = BETA-1", Token);
        using (var overDaily = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
                   new { connectionId = tenant.ConnectionId, jql = "key = BETA-2", format = "pdf", template = "issue-list" }, Token))
        {
            var problem = await ReadQuotaProblemAsync(overDaily, HttpStatusCode.TooManyRequests, "exports-per-day", 1);
            var resetsAt = problem.GetProperty("resetsAt").GetDateTimeOffset();
            Assert.Equal(TimeSpan.Zero, resetsAt.UtcDateTime.TimeOfDay); // the next UTC midnight
            Assert.InRange(resetsAt - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
            Assert.NotNull(overDaily.Headers.RetryAfter);
        }

        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
        Assert.Equal(1, usage.GetProperty("connections").GetInt32());
        Assert.Equal(1, usage.GetProperty("exportsToday").GetInt32());
        Assert.Equal(1, usage.GetProperty("plan").GetProperty("maxExportsPerDay").GetInt32());

        // Within any 2 × limit + 1 requests one is refused, whichever minute boundaries they straddle.
        const int perMinute = 10;
        await SetPlanAsync(tenant.TenantId, maxConnections: 1, maxExportsPerDay: 1, maxApiRequestsPerMinute: perMinute);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 2 * perMinute + 1 && refused is null; i++)
        {
            var response = await tenant.Client.GetAsync("/api/v1/exports", Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
                continue;
            }

            refused = response;
        }

        Assert.NotNull(refused);
        using (refused)
        {
            await ReadQuotaProblemAsync(refused, HttpStatusCode.TooManyRequests, "api-requests-per-minute", perMinute);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }
    }

    [Fact]
    public async Task UsageIsCountedDurablyAndAnnouncedForBilling()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("project = DELTA ORDER BY key ASC", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("succeeded", export.Status);

        // API requests reach the durable row within the flush interval (half a second here).
        JsonElement today = default;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(300, Token);
            var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
            today = usage.GetProperty("days").EnumerateArray().FirstOrDefault();
        }
        while ((today.ValueKind != JsonValueKind.Object || today.GetProperty("apiRequests").GetInt64() < 3) && DateTime.UtcNow < deadline);

        Assert.Equal(JsonValueKind.Object, today.ValueKind);
        Assert.True(today.GetProperty("apiRequests").GetInt64() >= 3);
        Assert.Equal(1, today.GetProperty("exports").GetInt32());
        Assert.Equal(export.SizeBytes!.Value, today.GetProperty("storedBytes").GetInt64());
        var pages = today.GetProperty("renderedPages").GetInt32();
        Assert.InRange(pages, 10, 40); // 500 issues

        // The billing system's queue holds the export's usage event, with the same figures.
        await using var connection = await system.ConnectToMessagingAsync(Token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Token);
        var events = new List<JsonElement>();
        while (await channel.BasicGetAsync(Core.Messaging.MessagingTopology.UsageQueue, autoAck: true, Token) is { } message)
        {
            events.Add(JsonDocument.Parse(message.Body).RootElement.Clone());
        }

        var exported = Assert.Single(events, e => e.GetProperty("kind").GetString() == "export"
                                                 && e.GetProperty("tenantId").GetGuid() == tenant.TenantId);
        Assert.Equal(exportId, exported.GetProperty("exportId").GetGuid());
        Assert.Equal(pages, exported.GetProperty("pages").GetInt32());
        Assert.Equal(export.SizeBytes!.Value, exported.GetProperty("bytes").GetInt64());
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "api-requests" && e.GetProperty("tenantId").GetGuid() == tenant.TenantId);
    }

    [Fact]
    public async Task FilesBeyondTheStoragePlanRefuseNewExports()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await SetPlanAsync(tenant.TenantId, maxConnections: 10, maxExportsPerDay: 100, maxApiRequestsPerMinute: 10_000, maxStoredMegabytes: 1);
        var first = await tenant.RequestExportAsync("key = BETA-1", Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(first, Token)).Status);

        // A real report is a few kilobytes; the stored file's recorded size is raised to 1.5 MB rather than rendering hundreds of them.
        await system.ExecuteAsOwnerAsync("UPDATE export_files SET size_bytes = 1500000 WHERE export_id = @id", new Dictionary<string, object> { ["id"] = first }, Token);
        using var refused = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql = "key = BETA-2", format = "pdf", template = "issue-list" }, Token);
        var problem = await ReadQuotaProblemAsync(refused, HttpStatusCode.Forbidden, "stored-megabytes", 1);
        Assert.Equal(JsonValueKind.Null, problem.GetProperty("resetsAt").ValueKind);
        Assert.Contains("DELETE /api/v1/exports/{id}/file", problem.GetProperty("detail").GetString());
        Assert.Equal(1_500_000, problem.GetProperty("usedBytes").GetInt64());
        Assert.Equal(1_000_000, problem.GetProperty("limitBytes").GetInt64());

        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
        Assert.Equal(1_500_000, usage.GetProperty("storedBytes").GetInt64());
    }

    [Fact]
    public async Task PreviewsAreCountedAndLimitedPerDayLikeExports()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await SetPlanAsync(tenant.TenantId, maxConnections: 5, maxExportsPerDay: 2, maxApiRequestsPerMinute: 100_000);
        var template = await CreateTemplateAsync(tenant);

        for (var i = 0; i < 2; i++)
        {
            using var rendered = await PreviewAsync(tenant, template);
            Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        }

        using var third = await PreviewAsync(tenant, template);
        await ReadQuotaProblemAsync(third, HttpStatusCode.TooManyRequests, "previews-per-day", 2);
        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
        Assert.Equal(2, usage.GetProperty("days")[0].GetProperty("previews").GetInt32());
        Assert.Equal(0, usage.GetProperty("exportsToday").GetInt32());
    }

    [Fact]
    public async Task AThirdPreviewWhileTwoAreRenderingIsRefused()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var template = await CreateTemplateAsync(tenant);
        Task<HttpResponseMessage>[] waiting = [];
        await system.RestartWorkerAfterCrashAsync(async () =>
        {
            // No Worker: the two previews stay queued, each holding its request open.
            waiting = [PreviewAsync(tenant, template), PreviewAsync(tenant, template)];
            await WaitForAsync(async () => (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token))
                .GetProperty("days").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } day && day.GetProperty("previews").GetInt32() == 2);
            using var third = await PreviewAsync(tenant, template);
            await ReadQuotaProblemAsync(third, HttpStatusCode.TooManyRequests, "previews-at-once", 2);
            Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }, Token);

        // The Worker is back: the two waiting previews are rendered and answered.
        foreach (var response in await Task.WhenAll(waiting))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    private static async Task<Guid> CreateTemplateAsync(TestTenant tenant)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new { name = "preview-quota", copyFrom = "issue-list" }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> PreviewAsync(TestTenant tenant, Guid template) =>
        tenant.Client.PostAsJsonAsync($"/api/v1/templates/{template}/preview", new { format = "html" }, Token);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; !await condition(); attempt++)
        {
            Assert.True(attempt < 100, "The condition did not hold within 10 s.");
            await Task.Delay(100, Token);
        }
    }

    private async Task SetPlanAsync(Guid tenantId, int maxConnections, int maxExportsPerDay, int maxApiRequestsPerMinute, int maxStoredMegabytes = 100)
    {
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var response = await admin.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/plan", new
        {
            name = "test",
            maxConnections,
            maxExportsPerDay,
            maxStoredMegabytes,
            maxApiRequestsPerMinute,
        }, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> ReadQuotaProblemAsync(HttpResponseMessage response, HttpStatusCode status, string quota, int limit)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(quota, problem.GetProperty("quota").GetString());
        Assert.Equal(limit, problem.GetProperty("limit").GetInt32());
        return problem;
    }
}
