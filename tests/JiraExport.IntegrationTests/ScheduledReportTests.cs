using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Scheduled reports from the schedule to the mail server and the webhook receiver, with a second Worker competing for them.</summary>
public sealed class ScheduledReportTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADueReportArrivesExactlyOnceWithTwoWorkersRunning()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var secondWorker = await system.StartWorkerAsync(new Dictionary<string, string>(), Token);
        var recipient = $"stakeholder-{Guid.NewGuid():N}@example.com";
        var schedule = await CreateAsync(tenant, new
        {
            name = "Weekly pack", connectionId = tenant.ConnectionId, template = "stakeholder-pack", jql = "project = DELTA ORDER BY key ASC",
            title = "DELTA weekly", cron = "0 8 * * MON", timeZone = "Europe/Berlin", recipients = new[] { recipient }, attachFile = true,
        });
        var firstNext = (DateTimeOffset)schedule["nextRunAt"]!;
        Assert.Equal((8, DayOfWeek.Monday), (TimeZoneInfo.ConvertTime(firstNext, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour, firstNext.DayOfWeek));

        // Its time comes: both Workers poll every half second and both see it due.
        await system.ExecuteAsOwnerAsync("UPDATE report_schedules SET next_run_at = now() - interval '1 second' WHERE id = @id",
            new Dictionary<string, object> { ["id"] = (Guid)schedule["id"]! }, Token);

        var mail = await Mailbox.WaitForMailAsync(recipient, Token, timeout: Wait);
        Assert.Equal("DELTA weekly: scheduled report", mail.Subject);
        Assert.Contains("The report is attached", mail.Text);
        Assert.Matches(@"^DELTA-weekly-\d{8}-\d{4}\.pdf$", Assert.Single(await Mailbox.AttachmentsAsync(mail, Token)));

        var run = await Polling.UntilAsync(() => RunsAsync(tenant, (Guid)schedule["id"]!), runs => runs.Count > 0 && (string)runs[0]!["status"]! == "delivered", Wait, Token);
        // A dozen more rounds of both Workers: still one run, one mail, and the next time is a later Monday.
        await Task.Delay(TimeSpan.FromSeconds(6), Token);
        Assert.Single(await RunsAsync(tenant, (Guid)schedule["id"]!));
        Assert.Single(await Mailbox.ReadAllAsync(recipient, Token));
        Assert.Equal((1, 1), ((int)run[0]!["mailsQueued"]!, (int)run[0]!["mailsSent"]!));
        var after = await GetAsync(tenant, $"/api/v1/report-schedules/{schedule["id"]}");
        Assert.True((DateTimeOffset)after["nextRunAt"]! > DateTimeOffset.UtcNow);

        // The export behind the run is the tenant's like any other: the stakeholder pack, its flow section before the issues.
        var export = await tenant.GetExportAsync((Guid)run[0]!["exportId"]!, Token);
        Assert.Equal("succeeded", export.Status);
        using var pdf = PdfDocument.Open(await tenant.Client.GetByteArrayAsync($"/api/v1/exports/{run[0]!["exportId"]}/file", Token));
        var text = string.Join(' ', pdf.GetPages().Select(p => p.Text));
        Assert.True(text.IndexOf("At a glance", StringComparison.Ordinal) is >= 0 and var glance && glance < text.IndexOf("Flow charts", StringComparison.Ordinal)
            && text.IndexOf("Flow charts", StringComparison.Ordinal) < text.IndexOf("The issues", StringComparison.Ordinal), text[..Math.Min(2000, text.Length)]);
        Assert.Contains("Throughput shift", text);
    }

    [Fact]
    public async Task ARunNowIsAnnouncedToWebhooksAndLinksTheFile()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        using (var subscribed = await tenant.Client.PostAsJsonAsync("/api/v1/webhook-subscriptions",
            new { url = receiver.Url, eventTypes = new[] { "report_schedule.completed" } }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var recipient = $"lead-{Guid.NewGuid():N}@example.com";
        var schedule = await CreateAsync(tenant, new
        {
            name = "Daily list", connectionId = tenant.ConnectionId, jql = "key = GAMMA-2", cron = "30 7 * * *", recipients = new[] { recipient },
            notifyWebhooks = true,
        });

        using var started = await tenant.Client.PostAsync($"/api/v1/report-schedules/{schedule["id"]}/run", null, Token);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!;
        // One run by hand at a time: a loop of calls does not turn the recipients into a mailing list.
        using (var again = await tenant.Client.PostAsync($"/api/v1/report-schedules/{schedule["id"]}/run", null, Token))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        var webhook = await receiver.WaitForAsync(w => w.Type == "report_schedule.completed", Wait, Token);
        Assert.Equal(runId, (Guid)webhook.Json["data"]!["runId"]!);
        var mail = await Mailbox.WaitForMailAsync(recipient, Token, timeout: Wait);
        Assert.Contains($"GET {(string)webhook.Json["data"]!["download"]!}", mail.Text);
        Assert.Empty(await Mailbox.AttachmentsAsync(mail, Token));
    }

    [Fact]
    public async Task ARunWhoseTemplateIsGoneFailsAndSaysWhy()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var template = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new { name = "short-lived", copyFrom = "issue-list" }, Token);
        var templateId = (Guid)(await template.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!;
        using (var published = await tenant.Client.PostAsJsonAsync($"/api/v1/templates/{templateId}/publish", new { note = "v1" }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        }

        var schedule = await CreateAsync(tenant, new
        {
            name = "Orphan", connectionId = tenant.ConnectionId, template = "short-lived", jql = "key = GAMMA-2", cron = "0 9 1 * *",
            recipients = new[] { $"nobody-{Guid.NewGuid():N}@example.com" },
        });
        using (var deleted = await tenant.Client.DeleteAsync($"/api/v1/templates/{templateId}", Token))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        using var started = await tenant.Client.PostAsync($"/api/v1/report-schedules/{schedule["id"]}/run", null, Token);
        var run = (await started.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        Assert.Equal("failed", (string)run["status"]!);
        Assert.Contains("No template \"short-lived\"", (string)run["error"]!);
        Assert.Equal("failed", (string)(await RunsAsync(tenant, (Guid)schedule["id"]!))[0]!["status"]!);
    }

    [Fact]
    public async Task AMailNoServerTakesIsTriedAgainThenItsRunFailsSayingToWhomAndWhy()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var recipient = $"unreachable-{Guid.NewGuid():N}@example.com";
        var schedule = await CreateAsync(tenant, new
        {
            name = "Unmailable", connectionId = tenant.ConnectionId, jql = "key = GAMMA-2", cron = "0 7 * * *", recipients = new[] { recipient },
        });

        // The only Worker sends its mail to a port where no mail server listens.
        await system.ReplaceWorkerAsync(new Dictionary<string, string> { ["ConnectionStrings__mail"] = $"smtp://127.0.0.1:{ServiceProcess.FreeLoopbackPort()}" }, Token);
        try
        {
            using var started = await tenant.Client.PostAsync($"/api/v1/report-schedules/{schedule["id"]}/run", null, Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var run = await Polling.UntilAsync(async () => (await RunsAsync(tenant, (Guid)schedule["id"]!))[0]!,
                r => (string)r["status"]! == "failed", Wait, Token);
            Assert.Equal($"The mail to {recipient} was not sent: The mail was not sent after 5 attempts; the mail server's last answer: " +
                         "the mail server could not be reached or broke off the conversation.", (string)run["error"]!);
            Assert.NotNull(run["exportId"]);
        }
        finally
        {
            await system.ReplaceWorkerAsync(null, CancellationToken.None);
        }

        Assert.Empty(await Mailbox.ReadAllAsync(recipient, Token));
    }

    [Fact]
    public async Task APausedScheduleDoesNotRunByItselfAndAChangeIsCheckedAsANewScheduleIs()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var schedule = await CreateAsync(tenant, new
        {
            name = "Paused pack", connectionId = tenant.ConnectionId, jql = "key = GAMMA-2", cron = "0 7 * * *",
            recipients = new[] { $"paused-{Guid.NewGuid():N}@example.com" },
        });
        var id = (Guid)schedule["id"]!;
        using (var paused = await tenant.Client.PatchAsJsonAsync($"/api/v1/report-schedules/{id}", new { paused = true, title = "Quiet" }, Token))
        {
            var body = (await paused.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            Assert.Equal((true, "Quiet", "Paused pack", "0 7 * * *"), ((bool)body["paused"]!, (string)body["title"]!, (string)body["name"]!, (string)body["cron"]!));
        }

        // Due now, but paused: the scheduler (every half second here) leaves it alone.
        await system.ExecuteAsOwnerAsync("UPDATE report_schedules SET next_run_at = now() - interval '1 minute' WHERE id = @id",
            new Dictionary<string, object> { ["id"] = id }, Token);
        await Task.Delay(TimeSpan.FromSeconds(3), Token);
        Assert.Empty(await RunsAsync(tenant, id));

        // Resumed with another cron: it runs at that cron's next time from now, not at once for what it missed.
        using (var resumed = await tenant.Client.PatchAsJsonAsync($"/api/v1/report-schedules/{id}", new { paused = false, cron = "30 6 * * MON" }, Token))
        {
            var body = (await resumed.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            Assert.False((bool)body["paused"]!);
            Assert.True((DateTimeOffset)body["nextRunAt"]! > DateTimeOffset.UtcNow.AddMinutes(14));
        }

        Assert.Empty(await RunsAsync(tenant, id));
        using var tooOften = await tenant.Client.PatchAsJsonAsync($"/api/v1/report-schedules/{id}", new { cron = "*/5 * * * *", recipients = Array.Empty<string>() }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, tooOften.StatusCode);
        Assert.Equal(["cron", "recipients"],
            (await tooOften.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("30 6 * * MON", (string)(await GetAsync(tenant, $"/api/v1/report-schedules/{id}"))["cron"]!);
    }

    [Fact]
    public async Task ACancelledExportFailsItsRun()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var schedule = await CreateAsync(tenant, new
        {
            name = "Cancelled", connectionId = tenant.ConnectionId, template = "issue-detail", jql = "project = DELTA ORDER BY key ASC", cron = "0 6 * * *",
            recipients = new[] { $"cancelled-{Guid.NewGuid():N}@example.com" },
        });
        using var started = await tenant.Client.PostAsync($"/api/v1/report-schedules/{schedule["id"]}/run", null, Token);
        var exportId = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>(Token))!["exportId"]!;

        using var cancelled = await tenant.Client.PostAsync($"/api/v1/exports/{exportId}/cancel", null, Token);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        var run = (await RunsAsync(tenant, (Guid)schedule["id"]!))[0]!;
        Assert.Equal(("failed", "The export was cancelled on request."), ((string)run["status"]!, (string)run["error"]!));
    }

    [Fact]
    public async Task BadSchedulesAreRefusedWithWhatToChangeAndOtherTenantsSeeNone()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var bad = await tenant.Client.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "", connectionId = Guid.NewGuid(), template = "no-such-template", jql = "", cron = "* * * * *", timeZone = "Mars/Olympus",
            recipients = new[] { "not an address", "x@example.com\r\nBcc: victim@example.com" },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["cron", "jql", "name", "recipients", "timeZone"], errors);
        // Every five minutes, but only on leap days: still too often.
        using var leapDays = await tenant.Client.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "Leap", connectionId = tenant.ConnectionId, jql = "key = GAMMA-2", cron = "*/5 * 29 2 *", recipients = new[] { "me@example.com" },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, leapDays.StatusCode);

        var schedule = await CreateAsync(tenant, new
        {
            name = "Mine", connectionId = tenant.ConnectionId, jql = "key = GAMMA-2", cron = "0 8 * * MON", recipients = new[] { "me@example.com" },
        });
        var other = await system.CreateTenantAsync(Token);
        using var foreign = await other.Client.GetAsync($"/api/v1/report-schedules/{schedule["id"]}", Token);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var foreignRun = await other.Client.PostAsync($"/api/v1/report-schedules/{schedule["id"]}/run", null, Token);
        Assert.Equal(HttpStatusCode.NotFound, foreignRun.StatusCode);
        using var foreignConnection = await other.Client.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "Theirs", connectionId = tenant.ConnectionId, jql = "key = GAMMA-2", cron = "0 8 * * MON", recipients = new[] { "me@example.com" },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, foreignConnection.StatusCode);
        Assert.Empty((await other.Client.GetFromJsonAsync<JsonArray>("/api/v1/report-schedules", Token))!);
    }

    private static async Task<JsonObject> CreateAsync(TestTenant tenant, object request)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/report-schedules", request, Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
    }

    private static async Task<JsonObject> GetAsync(TestTenant tenant, string path) =>
        (await tenant.Client.GetFromJsonAsync<JsonObject>(path, Token))!;

    private static async Task<JsonArray> RunsAsync(TestTenant tenant, Guid scheduleId) =>
        (await tenant.Client.GetFromJsonAsync<JsonArray>($"/api/v1/report-schedules/{scheduleId}/runs", Token))!;
}
