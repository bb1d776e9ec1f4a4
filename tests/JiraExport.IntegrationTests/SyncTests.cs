using System.Net;
using System.Net.Http.Json;
using System.Collections.Concurrent;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The sync engine against the simulator: full and incremental runs, deletions, a Worker killed mid-run, Data Center,
/// and the request rules. Each test has its own tenant; tests that change Jira use issues no other test counts.
/// </summary>
public sealed class SyncTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FullSyncStoresEveryIssueWithCompleteChangelogAndStatusTransitions()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var expected = await system.CountJiraIssuesAsync("project = GAMMA", Token);
        // Subscribe first, then act: no event can slip between the two.
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(system.Realtime.BaseAddress, "/hubs/exports"), o => o.Headers["X-Api-Key"] = tenant.ApiKey)
            .Build();
        var pushed = new ConcurrentQueue<(string Method, SyncNotification Event)>();
        var completed = new TaskCompletionSource<SyncNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var method in new[] { "syncProgress", "syncCompleted", "syncFailed" })
        {
            hub.On<SyncNotification>(method, e =>
            {
                pushed.Enqueue((method, e));
                if (method != "syncProgress")
                {
                    completed.TrySetResult(e);
                }
            });
        }

        await hub.StartAsync(Token);
        await hub.InvokeAsync("SubscribeToTenant", Token);

        var job = await tenant.SyncAsync(new { mode = "full", projects = new[] { "gamma" } }, Token);

        // Live progress over SignalR: steps in sequence order, then the completion with the run's counts.
        var done = await completed.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal((job.Id, "succeeded", 100, expected), (done.JobId, done.Status, done.Progress, done.IssuesWritten));
        var events = pushed.Where(e => e.Event.JobId == job.Id).ToList();
        Assert.True(events.Count(e => e.Method == "syncProgress") >= 3, $"Only {events.Count} sync events arrived.");
        Assert.Equal(events.Select(e => e.Event.Sequence).Order(), events.Select(e => e.Event.Sequence));
        Assert.Equal("syncCompleted", events[^1].Method);

        Assert.Equal("full", job.Mode);
        Assert.Equal("project in (\"GAMMA\")", job.Scope);
        Assert.Equal((expected, expected, 0, 100), (job.IssuesSeen, job.IssuesWritten, job.Deleted, job.Progress));
        Assert.Equal(expected, job.IssuesExpected);
        Assert.True(job.Pages >= expected / 100, $"{job.Pages} pages for {expected} issues");

        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        Assert.Equal(expected, stored.Select(i => i.Key).Distinct().Count());
        Assert.All(stored, i => Assert.Equal("GAMMA", i.Project));
        Assert.Equal(stored.OrderBy(i => i.Updated).ThenBy(i => i.Id).Select(i => i.Key), stored.Select(i => i.Key));

        // Histories longer than any page (search embeds 20, the changelog pages 100) arrive whole and in order.
        var longHistory = stored.First(i => i.Id % 250 == 7);
        var detail = await tenant.GetStoredIssueAsync(longHistory.Key, Token);
        var jiraIds = await system.GetJiraChangelogIdsAsync(longHistory.Key, Token);
        Assert.True(jiraIds.Count > 100, $"{longHistory.Key} has only {jiraIds.Count} histories");
        Assert.Equal(jiraIds, detail.Changelog.EnumerateArray().Select(h => h.GetProperty("id").GetString()));

        // Transitions chain from To Do to the current status, by id.
        foreach (var issue in stored.Where(i => i.Status != "To Do").Take(20))
        {
            var issueDetail = await tenant.GetStoredIssueAsync(issue.Key, Token);
            var transitions = issueDetail.Transitions;
            Assert.NotEmpty(transitions);
            Assert.Equal("10000", transitions[0].FromStatusId);
            Assert.Equal(issueDetail.Fields.GetProperty("status").GetProperty("id").GetString(), transitions[^1].ToStatusId);
            Assert.Equal(issue.Status, transitions[^1].ToStatus);
            for (var i = 1; i < transitions.Count; i++)
            {
                Assert.Equal(transitions[i - 1].ToStatusId, transitions[i].FromStatusId);
            }
        }

        // Custom fields travel in the stored fields, by their id.
        var story = stored.First(i => i.IssueType == "Story");
        var storyFields = (await tenant.GetStoredIssueAsync(story.Key, Token)).Fields;
        Assert.True(storyFields.TryGetProperty("customfield_10016", out _), "Story Points missing from the stored fields");

        await AssertActivityIsCompleteAsync(tenant, stored, system.SimulatorAddress);
    }

    /// <summary>Comments, worklogs (more than the 20 an issue's field holds), sprints, links and the description, as Jira holds them.</summary>
    private static async Task AssertActivityIsCompleteAsync(TestTenant tenant, List<StoredIssue> stored, Uri jira)
    {
        var manyWorklogs = stored.First(i => i.Id % 250 == 11);
        var worklogs = (await tenant.GetStoredIssueAsync(manyWorklogs.Key, Token)).Worklogs;
        Assert.True(worklogs.Count > 20, $"{manyWorklogs.Key} has {worklogs.Count} worklogs stored");
        Assert.Equal(await jira.JiraTotalAsync($"/rest/api/3/issue/{manyWorklogs.Key}/worklog", Token), worklogs.Count);
        Assert.All(worklogs, w => Assert.True(w.TimeSpentSeconds > 0));

        var withSprints = 0;
        var withComments = 0;
        var keys = stored.ToDictionary(i => i.Key);
        foreach (var issue in stored.Take(60))
        {
            var detail = await tenant.GetStoredIssueAsync(issue.Key, Token);
            Assert.Equal(await jira.JiraTotalAsync($"/rest/api/3/issue/{issue.Key}/comment", Token), detail.Comments.Count);
            Assert.All(detail.Comments, c => Assert.StartsWith("<p>", c.BodyHtml));
            withComments += detail.Comments.Count > 0 ? 1 : 0;

            var sprintIds = detail.Fields.TryGetProperty("customfield_10020", out var field) && field.ValueKind == JsonValueKind.Array
                ? field.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).Order().ToList()
                : [];
            Assert.Equal(sprintIds, detail.Sprints.Select(s => s.Id).Order());
            withSprints += sprintIds.Count > 0 ? 1 : 0;

            Assert.False(string.IsNullOrEmpty(detail.DescriptionText), issue.Key);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(detail.DescriptionText!.Split('\n')[0]), detail.DescriptionHtml!);

            // A link between two synced issues is stored on both sides with the same id.
            foreach (var link in detail.Links.Where(l => keys.ContainsKey(l.OtherKey)))
            {
                var other = await tenant.GetStoredIssueAsync(link.OtherKey, Token);
                Assert.Contains(other.Links, l => l.Id == link.Id && l.OtherKey == issue.Key);
            }
        }

        Assert.True(withSprints > 0 && withComments > 0, $"{withSprints} issues with sprints, {withComments} with comments");
    }

    [Fact]
    public async Task IncrementalSyncWritesOnlyWhatChangedInJira()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var first = await tenant.SyncAsync(new { mode = "incremental", projects = new[] { "BETA" } }, Token);
        // Nothing stored yet, so the first incremental request runs full.
        Assert.Equal("full", first.Mode);

        await system.TransitionJiraIssueAsync("BETA-5", "Done", Token);
        await system.EditJiraIssueAsync("BETA-6", "Пересчитать итоги спринта", Token);
        var created = await system.CreateJiraIssueAsync("BETA", "A new issue after the first sync", Token);

        // No scope: the connection's last one.
        var incremental = await tenant.SyncAsync(new { mode = "incremental" }, Token);
        Assert.Equal("incremental", incremental.Mode);
        Assert.NotNull(incremental.ChangedSince);
        Assert.Equal((3, 3, 0), (incremental.IssuesSeen, incremental.IssuesWritten, incremental.Deleted));

        var moved = await tenant.GetStoredIssueAsync("BETA-5", Token);
        Assert.Equal("Done", moved.Issue.Status);
        Assert.Equal("done", moved.Issue.StatusCategory);
        Assert.Equal("Done", moved.Transitions[^1].ToStatus);
        Assert.Equal("Пересчитать итоги спринта", (await tenant.GetStoredIssueAsync("BETA-6", Token)).Issue.Summary);
        Assert.Equal("A new issue after the first sync", (await tenant.GetStoredIssueAsync(created, Token)).Issue.Summary);

        // The overlap reads the same three again; a replay writes nothing.
        var replay = await tenant.SyncAsync(new { mode = "incremental" }, Token);
        Assert.Equal((3, 0), (replay.IssuesSeen, replay.IssuesWritten));

        var history = await tenant.Client.GetFromJsonAsync<List<SyncJobState>>($"/api/v1/connections/{tenant.ConnectionId}/sync-jobs", Token);
        Assert.Equal([replay.Id, incremental.Id, first.Id], history!.Select(j => j.Id));
    }

    [Fact]
    public async Task FullSyncDeletesIssuesDeletedInJira()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND issuetype = Bug" }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var victim = stored.First(i => i.Status != "To Do");
        Assert.NotEmpty((await tenant.GetStoredIssueAsync(victim.Key, Token)).Transitions);

        await system.DeleteJiraIssueAsync(victim.Key, Token);
        var incremental = await tenant.SyncAsync(new { mode = "incremental" }, Token);
        // An incremental walk sees only changes, so it cannot know of the deletion.
        Assert.Equal(0, incremental.Deleted);

        var full = await tenant.SyncAsync(new { mode = "full" }, Token);
        Assert.Equal((1, 0, stored.Count - 1), (full.Deleted, full.IssuesWritten, full.IssuesSeen));
        using var gone = await tenant.Client.GetAsync($"/api/v1/issues/{victim.Key}?connectionId={tenant.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, await CountRowsAsync("SELECT count(*) FROM jira_status_transitions WHERE connection_id = @c AND issue_id = @i",
            tenant.ConnectionId, victim.Id));
        Assert.Equal(stored.Count - 1, (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count);
    }

    [Fact]
    public async Task WorkerKilledMidSyncResumesFromItsCheckpointAndWritesEachIssueOnce()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var expected = await system.CountJiraIssuesAsync("project = ALPHA", Token);
        // Slow Jira down so the kill lands mid-run.
        await system.InjectJiraFaultAsync(new { kind = "latency", count = 100_000, latencyMs = 150 }, Token);
        try
        {
            var accepted = await tenant.StartSyncAsync(new { mode = "full", projects = new[] { "ALPHA" } }, Token);
            var before = await tenant.WaitForSyncAsync(accepted.JobId, j => j.Pages >= 3, TimeSpan.FromMinutes(2), Token);
            await system.RestartWorkerAfterCrashAsync(whileDown: null, Token);
            await system.ClearJiraFaultsAsync(Token);

            var job = await tenant.WaitForSyncAsync(accepted.JobId, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(3), Token);
            Assert.True(job.Status == "succeeded", $"The resumed sync failed: {job}");
            Assert.True(before.Status == "running" && before.Pages < job.Pages, $"Killed at {before}, finished at {job}");
            Assert.Equal((expected, expected), (job.IssuesSeen, job.IssuesWritten));
            // Resumed, not restarted: the pages add up to one walk.
            Assert.Equal((expected + 99) / 100, job.Pages);
        }
        finally
        {
            await system.ClearJiraFaultsAsync(Token);
        }

        Assert.Equal(expected, await CountRowsAsync("SELECT count(*) FROM jira_issues WHERE connection_id = @c AND sync_revision = 1", tenant.ConnectionId));
        Assert.Equal(0, await CountRowsAsync("SELECT count(*) FROM jira_issues WHERE connection_id = @c AND sync_revision <> 1", tenant.ConnectionId));
    }

    [Fact]
    public async Task ANodeThatDiesMidSyncIsFailedOverWithoutLosingTheRunAndHealthSaysSo()
    {
        // A primary node of its own (same seed, so the same issues) in front of the shared simulator as failover.
        await using var primary = JiraSimulator.JiraSimulatorApp.Build([]);
        primary.Urls.Add("http://127.0.0.1:0");
        await primary.StartAsync(Token);
        var primaryAddress = JiraSimulator.JiraSimulatorApp.GetBaseAddress(primary);
        var tenant = await system.CreateTenantAsync(Token, jiraBaseUrl: primaryAddress, failoverBaseUrls: [system.SimulatorAddress]);
        var expected = await system.CountJiraIssuesAsync("project = GAMMA", Token);

        var healthy = await tenant.Client.GetFromJsonAsync<HealthReport>($"/api/v1/connections/{tenant.ConnectionId}/health", Token);
        Assert.Equal(("healthy", 2), (healthy!.Status, healthy.Nodes.Count(n => n.Status == "up")));

        // Slow the primary so it dies mid-run, then stop it.
        using (var control = new HttpClient { BaseAddress = primaryAddress })
        {
            using var slow = await control.PostAsJsonAsync("/_simulator/faults", new { kind = "latency", count = 0, latencyMs = 150 }, Token);
            slow.EnsureSuccessStatusCode();
        }

        var accepted = await tenant.StartSyncAsync(new { mode = "full", projects = new[] { "GAMMA" } }, Token);
        var before = await tenant.WaitForSyncAsync(accepted.JobId, j => j.Pages >= 2, TimeSpan.FromMinutes(2), Token);
        await primary.StopAsync(Token);

        var job = await tenant.WaitForSyncAsync(accepted.JobId, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(3), Token);
        Assert.True(job.Status == "succeeded", $"The sync did not survive the failover: {job}");
        Assert.True(before.Pages < job.Pages, $"The primary died after the run: {before}");
        Assert.Equal((expected, expected), (job.IssuesSeen, job.IssuesWritten));
        Assert.Equal(expected, await CountRowsAsync("SELECT count(*) FROM jira_issues WHERE connection_id = @c AND sync_revision = 1", tenant.ConnectionId));

        var degraded = await tenant.Client.GetFromJsonAsync<HealthReport>($"/api/v1/connections/{tenant.ConnectionId}/health", Token);
        Assert.Equal("degraded", degraded!.Status);
        Assert.Equal(["down", "up"], degraded.Nodes.Select(n => n.Status));
        Assert.NotNull(degraded.Nodes[0].Error);
        var connection = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}", Token);
        Assert.Equal("degraded", connection.GetProperty("health").GetString());
        // Unknown → healthy → degraded: an event for each change.
        Assert.Equal(2, await CountRowsAsync(
            "SELECT count(*) FROM domain_events WHERE aggregate = 'connection' AND type = 'health-changed' AND aggregate_id = @c", tenant.ConnectionId));
    }

    [Fact]
    public async Task AScheduleRunsSyncsOnItsCronAndStopsWhenDeleted()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var schedulePath = $"/api/v1/connections/{tenant.ConnectionId}/schedule";
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { cron = "every minute", jql = "project = DELTA" }, "cron"),
            (new { cron = "*/5 * * * *", timeZone = "Mars/Olympus", jql = "project = DELTA" }, "timeZone"),
            (new { cron = "*/5 * * * *", reconcileCron = "61 * * * *", jql = "project = DELTA" }, "reconcileCron"),
        })
        {
            using var refused = await tenant.Client.PutAsJsonAsync(schedulePath, body, Token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<ValidationProblem>(Token))!.Errors.ContainsKey(field), field);
        }

        // Every second (six fields: with seconds), in a zone of its own; the full reconcile at New Year in Tokyo.
        using var put = await tenant.Client.PutAsJsonAsync(schedulePath,
            new { cron = "* * * * * *", reconcileCron = "0 0 1 1 *", timeZone = "Asia/Tokyo", jql = "project = DELTA AND issuetype = Task" }, Token);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var schedule = await put.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("(project = DELTA AND issuetype = Task)", schedule.GetProperty("scope").GetString());
        var nextReconcile = schedule.GetProperty("nextReconcileAt").GetDateTimeOffset();
        Assert.Equal((1, 1, 0, 0), (nextReconcile.ToOffset(TimeSpan.FromHours(9)).Month, nextReconcile.ToOffset(TimeSpan.FromHours(9)).Day,
            nextReconcile.ToOffset(TimeSpan.FromHours(9)).Hour, nextReconcile.ToOffset(TimeSpan.FromHours(9)).Minute));

        // The first scheduled run has nothing stored, so it runs full; the next ones are incremental.
        var runs = await WaitForRunsAsync(tenant, 2, TimeSpan.FromMinutes(1));
        Assert.Equal("full", runs[^1].Mode);
        Assert.Equal("incremental", runs[^2].Mode);
        Assert.All(runs, r => Assert.Equal("(project = DELTA AND issuetype = Task)", r.Scope));

        using var deleted = await tenant.Client.DeleteAsync(schedulePath, Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await tenant.Client.GetAsync(schedulePath, Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var settled = await WaitForRunsAsync(tenant, 0, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        Assert.Equal(settled.Count, (await WaitForRunsAsync(tenant, 0, TimeSpan.FromSeconds(10))).Count);
    }

    [Fact]
    public async Task OneTenantsBacklogOfSyncsDoesNotHoldEveryWorkerSlot()
    {
        var busy = await system.CreateTenantAsync(Token);
        var connections = new List<Guid> { busy.ConnectionId };
        foreach (var name in new[] { "Second", "Third" })
        {
            using var created = await busy.Client.PostAsJsonAsync("/api/v1/connections", new
            {
                name,
                baseUrl = system.SimulatorAddress.ToString(),
                deployment = "cloud",
                auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
            }, Token);
            connections.Add((await created.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid());
        }

        var quiet = await system.CreateTenantAsync(Token);
        var backlog = new List<Guid>();
        foreach (var (connection, project) in connections.Zip(new[] { "ALPHA", "BETA", "GAMMA" }))
        {
            backlog.Add((await (busy with { ConnectionId = connection }).StartSyncAsync(new { mode = "full", projects = new[] { project } }, Token)).JobId);
        }

        var small = await quiet.StartSyncAsync(new { mode = "full", jql = "project = DELTA AND issuetype = Task" }, Token);

        var quietJob = await quiet.WaitForSyncAsync(small.JobId, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(2), Token);
        var busyJobs = new List<SyncJobState>();
        foreach (var id in backlog)
        {
            busyJobs.Add(await busy.WaitForSyncAsync(id, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(3), Token));
        }

        Assert.All(busyJobs.Append(quietJob), j => Assert.Equal("succeeded", j.Status));
        // The busy tenant ran one sync at a time...
        var ordered = busyJobs.OrderBy(j => j.StartedAt).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt, $"{ordered[i - 1]} overlapped {ordered[i]}");
        }

        // ...and the quiet tenant's sync, queued behind all three, did not wait for them.
        Assert.True(quietJob.FinishedAt < ordered[^1].StartedAt, $"The quiet tenant's sync waited for the backlog: {quietJob}");
    }

    private static async Task<List<SyncJobState>> WaitForRunsAsync(TestTenant tenant, int atLeast, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var runs = (await tenant.Client.GetFromJsonAsync<List<SyncJobState>>($"/api/v1/connections/{tenant.ConnectionId}/sync-jobs", deadline.Token))!;
            if (runs.Count >= atLeast && runs.All(r => r.Status is "succeeded" or "failed"))
            {
                return runs;
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    [Fact]
    public async Task ExportsReadTheSyncedStoreByDefaultRecordItsWatermarkAndReadLiveOnRequest()
    {
        // A Jira of its own: this test changes issues that other tests count.
        await using var jira = JiraSimulator.JiraSimulatorApp.Build([]);
        jira.Urls.Add("http://127.0.0.1:0");
        await jira.StartAsync(Token);
        var site = JiraSimulator.JiraSimulatorApp.GetBaseAddress(jira);
        var tenant = await system.CreateTenantAsync(Token, jiraBaseUrl: site);
        const string jql = "project = GAMMA AND issuetype = Task ORDER BY key ASC";
        var sync = await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA AND issuetype = Task" }, Token);
        var connection = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}", Token);

        // After the sync: one issue renamed in Jira, one created (the store has never seen it).
        var renamed = (await tenant.ListStoredIssuesAsync(string.Empty, Token)).OrderBy(i => i.Id).First();
        await site.EditJiraIssueAsync(renamed.Key, "Renamed after the sync", Token);
        var created = await site.CreateJiraIssueAsync("GAMMA", "Created after the sync", Token);
        await site.TransitionJiraIssueAsync(created, "In Progress", Token);
        var expected = await site.CountJiraIssuesAsync("project = GAMMA AND issuetype = Task", Token);

        var fromStore = await tenant.WaitForExportToFinishAsync(await tenant.RequestExportAsync(jql, Token), Token);
        var live = await tenant.WaitForExportToFinishAsync(await RequestLiveExportAsync(tenant, jql), Token);

        Assert.Equal(("succeeded", "store", expected), (fromStore.Status, await SourceOfAsync(tenant, fromStore.Id), fromStore.IssueCount));
        Assert.Equal(connection.GetProperty("id").GetGuid(), tenant.ConnectionId);
        Assert.Equal(await WatermarkOfConnectionAsync(tenant.ConnectionId), await WatermarkOfExportAsync(tenant, fromStore.Id));
        Assert.Equal(("succeeded", "live", expected), (live.Status, await SourceOfAsync(tenant, live.Id), live.IssueCount));
        Assert.Null(await WatermarkOfExportAsync(tenant, live.Id));

        // The store export shows what was synced; the live one what Jira holds now. The new issue is in both.
        var storeText = Squash(await PdfTextAsync(tenant, fromStore.Id));
        var liveText = Squash(await PdfTextAsync(tenant, live.Id));
        Assert.Contains(Squash(renamed.Summary), storeText);
        Assert.DoesNotContain(Squash("Renamed after the sync"), storeText);
        Assert.Contains(Squash("Renamed after the sync"), liveText);
        Assert.Contains(Squash("Created after the sync"), storeText);
        Assert.True(sync.IssuesWritten + 1 == expected, $"{sync.IssuesWritten} synced, {expected} in Jira now");
    }

    private static async Task<Guid> RequestLiveExportAsync(TestTenant tenant, string jql)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql, format = "pdf", template = "issue-list", source = "live" }, Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
    }

    private static async Task<string?> SourceOfAsync(TestTenant tenant, Guid exportId) =>
        (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token)).GetProperty("source").GetString();

    private static async Task<DateTimeOffset?> WatermarkOfExportAsync(TestTenant tenant, Guid exportId) =>
        (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token)).GetProperty("syncWatermark") is
        { ValueKind: JsonValueKind.String } value ? value.GetDateTimeOffset() : null;

    private async Task<DateTimeOffset> WatermarkOfConnectionAsync(Guid connectionId)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT sync_watermark FROM jira_connections WHERE id = @c", connection);
        command.Parameters.AddWithValue("c", connectionId);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(Token))!);
    }

    private static async Task<string> PdfTextAsync(TestTenant tenant, Guid exportId)
    {
        var bytes = await tenant.Client.GetByteArrayAsync($"/api/v1/exports/{exportId}/file", Token);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        return string.Concat(pdf.GetPages().Select(p => p.Text));
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public async Task DataCenterSyncReadsIssuesAndChangelogsThroughRestApiTwo()
    {
        var tenant = await system.CreateTenantAsync(Token, deployment: "datacenter", auth: new { type = "bearer", token = "sim-personal-access-token" });
        var expected = await system.CountJiraIssuesAsync("project = DELTA AND issuetype = Story", Token);

        var job = await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND issuetype = Story" }, Token);

        Assert.Equal((expected, expected, expected), (job.IssuesExpected, job.IssuesSeen, job.IssuesWritten));
        var stored = await tenant.ListStoredIssuesAsync("&project=delta", Token);
        Assert.Equal(expected, stored.Count);
        var done = stored.First(i => i.Status == "Done");
        var detail = await tenant.GetStoredIssueAsync(done.Key, Token);
        Assert.Equal(await system.GetJiraChangelogIdsAsync(done.Key, Token), detail.Changelog.EnumerateArray().Select(h => h.GetProperty("id").GetString()));
        Assert.Equal("Done", detail.Transitions[^1].ToStatus);
    }

    [Fact]
    public async Task SyncRequestsAreCheckedAndARepeatWhileOneWaitsAnswersThatOne()
    {
        var tenant = await system.CreateTenantAsync(Token);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { mode = "sometimes", projects = new[] { "ALPHA" } }, "mode"),
            (new { projects = new[] { "ALPHA" }, jql = "project = BETA" }, "projects"),
            (new { projects = new[] { "ALPHA; DROP" } }, "projects"),
            (new { jql = "project = BETA ORDER BY created" }, "jql"),
        })
        {
            using var refused = await tenant.Client.PostAsJsonAsync($"/api/v1/connections/{tenant.ConnectionId}/sync", body, Token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<ValidationProblem>(Token);
            Assert.True(problem!.Errors.ContainsKey(field), $"{body} → {string.Join(", ", problem.Errors.Keys)}");
        }

        using var unknown = await tenant.Client.PostAsJsonAsync($"/api/v1/connections/{Guid.NewGuid()}/sync", new { projects = new[] { "ALPHA" } }, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Stop the Worker so the first run stays queued.
        var queued = Guid.Empty;
        await system.RestartWorkerAfterCrashAsync(async () =>
        {
            var first = await tenant.StartSyncAsync(new { mode = "full", projects = new[] { "DELTA" } }, Token);
            var second = await tenant.StartSyncAsync(new { mode = "incremental", projects = new[] { "DELTA" } }, Token);
            Assert.False(first.AlreadyActive);
            Assert.True(second.AlreadyActive);
            Assert.Equal(first.JobId, second.JobId);
            queued = first.JobId;
        }, Token);

        // The restarted Worker runs it; let it finish so no other test shares Jira with it.
        var ran = await tenant.WaitForSyncAsync(queued, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(2), Token);
        Assert.Equal("succeeded", ran.Status);
    }

    [Fact]
    public async Task AnExhaustedQuotaPausesEveryCallUntilItsResetAndTheSyncCarriesOn()
    {
        var tenant = await system.CreateTenantAsync(Token);
        const string scope = "project = DELTA AND issuetype = Task";
        var expected = await system.CountJiraIssuesAsync(scope, Token);
        // One 429 for an exhausted quota, without Retry-After: Jira denies everything until X-RateLimit-Reset.
        await system.InjectJiraFaultAsync(new { kind = "429", count = 1, retryAfterSeconds = 2, reason = "jira-quota-tenant-based" }, Token);

        SyncJobState job;
        try
        {
            job = await tenant.SyncAsync(new { mode = "full", jql = scope }, Token);
        }
        finally
        {
            await system.ClearJiraFaultsAsync(Token);
        }

        Assert.Equal((expected, expected), (job.IssuesSeen, job.IssuesWritten));
        // A call made before the reset would have been denied too and counted here.
        var stats = await system.GetJiraStatsAsync(Token);
        Assert.Equal(1, stats.FaultsServed);
    }

    [Fact]
    public async Task ARateLimitStormLongerThanTheClientsRetriesSlowsTheSyncButDoesNotFailIt()
    {
        var tenant = await system.CreateTenantAsync(Token);
        const string scope = "project = DELTA AND priority = High";
        var expected = await system.CountJiraIssuesAsync(scope, Token);
        // Eight 429s in a row: the client gives up after three attempts, the sync reads the page again later.
        await system.InjectJiraFaultAsync(new { kind = "429", count = 8, retryAfterSeconds = 1 }, Token);

        SyncJobState job;
        try
        {
            job = await tenant.SyncAsync(new { mode = "full", jql = scope }, Token);
        }
        finally
        {
            await system.ClearJiraFaultsAsync(Token);
        }

        Assert.Equal((expected, expected, 0), (job.IssuesSeen, job.IssuesWritten, job.Deleted));
        var stats = await system.GetJiraStatsAsync(Token);
        // Every 429 was served and the run still finished: the page was read again after the client gave up.
        Assert.Equal(8, stats.FaultsServed);
        // Each 429 was waited out for the second it asked, by the client's retries and by the run reading the page again.
        var waits = (await system.GetJiraRequestLogAsync(Token)).WaitsAfterFaults();
        Assert.Equal(8, waits.Count);
        Assert.All(waits, wait => Assert.True(wait >= TimeSpan.FromSeconds(0.95), $"A request came {wait.TotalMilliseconds:0} ms after a 429 asking for 1 s."));
    }

    private async Task<long> CountRowsAsync(string sql, Guid connectionId, long? issueId = null)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("c", connectionId);
        if (issueId is { } id)
        {
            command.Parameters.AddWithValue("i", id);
        }

        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    private sealed record ValidationProblem(Dictionary<string, string[]> Errors);

    private sealed record NodeHealth(string BaseUrl, string Status, int? LatencyMs, string? Error);

    private sealed record HealthReport(string Status, List<NodeHealth> Nodes);

    private sealed record SyncNotification(
        Guid JobId, Guid ConnectionId, string Status, int Progress, int IssuesSeen, int IssuesWritten, int Deleted, string? Error, long Sequence);
}
