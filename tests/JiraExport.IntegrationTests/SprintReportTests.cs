using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;
using static JiraExport.IntegrationTests.Infrastructure.SprintHistories;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Sprint reports reproduced from the hand-made November sprints (<see cref="SprintHistories.November"/>): each list and
/// each day below was worked out by hand from the fixture's histories.
/// </summary>
public sealed class SprintReportTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SprintOneIsReportedAsItStoodAtItsCloseWhateverHappenedSince()
    {
        var tenant = await ArrangeAsync();

        var report = await GetAsync(tenant, $"/api/v1/analytics/sprints/{Sprint1}/report");

        // Committed: in at the start (SPR-9 with no logged change: in it since its creation). SPR-3 and SPR-5 joined after.
        Assert.Equal(["SPR-1", "SPR-2", "SPR-4", "SPR-6", "SPR-9"], Keys(report, "committed"));
        // SPR-6 was reopened after the close: it was done at the close. SPR-2 was done, then reopened before the close.
        Assert.Equal(["SPR-1", "SPR-3", "SPR-6", "SPR-9"], Keys(report, "completed"));
        Assert.Equal(["SPR-2"], Keys(report, "notCompleted"));
        Assert.Equal(["SPR-4"], Keys(report, "removed"));
        // Done on the 1st, added on the 5th.
        Assert.Equal(["SPR-5"], Keys(report, "completedOutside"));
        Assert.Equal(
            """{"committed":5,"addedAfterStart":2,"completed":4,"notCompleted":1,"removed":1,"completedOutside":1}""",
            report["counts"]!.ToJsonString());
        var added = report["completed"]!.AsArray().Single(i => (string)i!["key"]! == "SPR-3")!;
        Assert.True((bool)added["addedAfterStart"]!);
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 10, 0, 0, TimeSpan.Zero), (DateTimeOffset)added["addedAt"]!);
        Assert.Equal("Done", (string)added["statusAtClose"]!);
        Assert.Equal("In Progress", (string)report["notCompleted"]![0]!["statusAtClose"]!);
        Assert.False((bool)report["running"]!);
        Assert.Equal(new DateTimeOffset(2026, 11, 13, 17, 0, 0, TimeSpan.Zero), (DateTimeOffset)report["closedAt"]!);
        Assert.Contains("punted", (string)report["rule"]!);
        Assert.Equal(("default", 1), ((string)report["basis"]!["definitionName"]!, (int)report["basis"]!["definitionVersion"]!));

        // At the end of each day, 2 to 13 November: scope, and finished of it.
        Assert.Equal(
            "2026-11-02:5/0 2026-11-03:5/0 2026-11-04:6/0 2026-11-05:7/2 2026-11-06:6/3 2026-11-07:6/3 2026-11-08:6/3 2026-11-09:6/4 2026-11-10:6/4 2026-11-11:6/4 2026-11-12:6/5 2026-11-13:6/5",
            string.Join(' ', report["days"]!.AsArray().Select(d => $"{(string)d!["date"]!}:{(int)d["scope"]!}/{(int)d["done"]!}")));
    }

    [Fact]
    public async Task SprintTwoTakesTheCarriedOverAndTheMovedIssuesAsCommitted()
    {
        var tenant = await ArrangeAsync();

        var report = await GetAsync(tenant, $"/api/v1/analytics/sprints/{Sprint2}/report");

        // SPR-2 carried over at sprint 1's close and SPR-4 moved during it: both in sprint 2 before its start.
        Assert.Equal(["SPR-2", "SPR-4", "SPR-8"], Keys(report, "committed"));
        Assert.Equal(["SPR-2", "SPR-4"], Keys(report, "completed"));
        // SPR-10 was created in the sprint on the 20th: added after the start, not committed.
        Assert.Equal(["SPR-10", "SPR-8"], Keys(report, "notCompleted"));
        Assert.Equal(["SPR-7"], Keys(report, "removed"));
        Assert.Empty(Keys(report, "completedOutside"));
        var created = report["notCompleted"]!.AsArray().Single(i => (string)i!["key"]! == "SPR-10")!;
        Assert.Equal((true, new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)), ((bool)created["addedAfterStart"]!, (DateTimeOffset)created["addedAt"]!));
    }

    [Fact]
    public async Task VelocityComparesCommittedAndCompletedOverTheClosedSprintsOldestFirst()
    {
        var tenant = await ArrangeAsync();

        var body = await GetAsync(tenant, $"/api/v1/analytics/sprints/velocity?boardId={Board}");

        var series = body["chart"]!["series"]!.AsArray().ToDictionary(
            s => (string)s!["name"]!, s => string.Join(' ', s!["points"]!.AsArray().Select(p => $"{(string)p!["category"]!}={(double)p["value"]!}")));
        Assert.Equal($"{One}=5 {Two}=3", series["Committed"]);
        Assert.Equal($"{One}=4 {Two}=2", series["Completed"]);
        Assert.Equal($"{One}=2 {Two}=2", series["Added"]);
        Assert.Equal($"{One}=1 {Two}=1", series["Removed"]);
        Assert.Equal(3.0, (double)body["chart"]!["markers"]![0]!["value"]!);

        using var svg = await tenant.Client.GetAsync((string)body["svg"]!, Token);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        var document = XDocument.Parse(await svg.Content.ReadAsStringAsync(Token));
        // Four series over two sprints: eight bars, plus the legend's four swatches.
        Assert.Equal(12, document.Descendants().Count(e => e.Name.LocalName == "rect") - 1);
    }

    [Fact]
    public async Task BurndownAndBurnupDrawTheSameDaysAsTheReport()
    {
        var tenant = await ArrangeAsync();

        var burndown = (await GetAsync(tenant, $"/api/v1/analytics/sprints/{Sprint1}/charts/burndown"))["chart"]!;
        var remaining = burndown["series"]!.AsArray().Single(s => (string)s!["name"]! == "Remaining")!["points"]!.AsArray().Select(p => (double)p!["value"]!);
        Assert.Equal([5.0, 5, 6, 5, 3, 3, 3, 2, 2, 2, 1, 1], remaining);
        var guideline = burndown["series"]!.AsArray().Single(s => (string)s!["name"]! == "Guideline")!["points"]!.AsArray()
            .Select(p => $"{(string)p!["date"]!}={(double)p["value"]!}");
        Assert.Equal(["2026-11-02=5", "2026-11-13=0"], guideline);

        var burnup = (await GetAsync(tenant, $"/api/v1/analytics/sprints/{Sprint1}/charts/burnup"))["chart"]!;
        var lines = burnup["series"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!["points"]!.AsArray().Select(p => (double)p!["value"]!).ToList());
        Assert.Equal([5.0, 5, 6, 7, 6, 6, 6, 6, 6, 6, 6, 6], lines["Scope"]);
        Assert.Equal([0.0, 0, 0, 2, 3, 3, 3, 4, 4, 4, 5, 5], lines["Done"]);

        using var svg = await tenant.Client.GetAsync($"/api/v1/analytics/sprints/{Sprint1}/charts/burnup/svg", Token);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", svg.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(2, XDocument.Parse(await svg.Content.ReadAsStringAsync(Token)).Descendants().Count(e => e.Name.LocalName == "polyline"));
    }

    [Fact]
    public async Task ChangelogsAJiraGarbledLeaveTheReportStanding()
    {
        var tenant = await ArrangeAsync();
        // A changelog that is not a list, and one whose Sprint change has a date Jira never writes and an item without a field.
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_issues (tenant_id, connection_id, issue_id, key, project_key, summary, issue_type, status_id, status_name,
                status_category, created, updated, fields, changelog, sync_revision, synced_at)
            VALUES (@tenant, @connection, 398, 'SPR-98', 'SPR', 'x', 'Story', '1', 'To Do', 'new', '2026-10-28T10:00:00Z', '2026-10-28T10:00:00Z', '{}',
                    '[{"created": "last Tuesday", "items": [{"field": "Sprint", "fromString": "", "toString": "SPR Sprint 1"}]},
                      {"created": 1700000000, "items": [{"fieldId": "x"}, "not an item"]}, 42]', 1, now()),
                   (@tenant, @connection, 399, 'SPR-99', 'SPR', 'x', 'Story', '1', 'To Do', 'new', '2026-10-28T10:00:00Z', '2026-10-28T10:00:00Z', '{}',
                    '{"items": [{"field": "Sprint", "toString": "SPR Sprint 1"}]}', 1, now());
            """, new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["connection"] = tenant.ConnectionId }, Token);

        var report = await GetAsync(tenant, $"/api/v1/analytics/sprints/{Sprint1}/report");

        Assert.Equal(
            """{"committed":5,"addedAfterStart":2,"completed":4,"notCompleted":1,"removed":1,"completedOutside":1}""",
            report["counts"]!.ToJsonString());
    }

    [Fact]
    public async Task TheSprintsAreListedLatestFirstAndAFutureSprintHasNoReportYet()
    {
        var tenant = await ArrangeAsync();

        var list = await GetAsync(tenant, $"/api/v1/analytics/sprints?boardId={Board}");
        Assert.Equal([Sprint3, Sprint2, Sprint1], list["sprints"]!.AsArray().Select(s => (long)s!["sprintId"]!));

        using var future = await tenant.Client.GetAsync($"/api/v1/analytics/sprints/{Sprint3}/report", Token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
        Assert.Contains("has not started", (string)(await future.Content.ReadFromJsonAsync<JsonObject>(Token))!["detail"]!);
    }

    [Fact]
    public async Task AnotherTenantsSprintIsNotFoundAndMistakesSayWhatToChange()
    {
        var tenant = await ArrangeAsync();
        var other = await system.CreateTenantAsync(Token);

        using var foreign = await other.Client.GetAsync($"/api/v1/analytics/sprints/{Sprint1}/report", Token);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var foreignConnection = await other.Client.GetAsync($"/api/v1/analytics/sprints/{Sprint1}/report?connectionId={tenant.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, foreignConnection.StatusCode);
        using var pie = await tenant.Client.GetAsync($"/api/v1/analytics/sprints/{Sprint1}/charts/pie", Token);
        Assert.Equal(HttpStatusCode.NotFound, pie.StatusCode);
        Assert.Contains("burnup", (string)(await pie.Content.ReadFromJsonAsync<JsonObject>(Token))!["detail"]!);
        using var tooMany = await tenant.Client.GetAsync("/api/v1/analytics/sprints/velocity?count=25", Token);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("count", (await tooMany.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key));

        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "exports only", scopes = new[] { "exports:read" } }, Token);
        using var exportsOnly = system.CreateApiClient((string)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["key"]!);
        using var forbidden = await exportsOnly.GetAsync($"/api/v1/analytics/sprints/{Sprint1}/report", Token);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static List<string> Keys(JsonObject report, string list) =>
        report[list]!.AsArray().Select(i => (string)i!["key"]!).ToList();

    private async Task<TestTenant> ArrangeAsync()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, November, Token);
        return tenant;
    }

    private async Task<JsonObject> GetAsync(TestTenant tenant, string path)
    {
        using var response = await tenant.Client.GetAsync(path, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token) + system.Api.RecentOutput);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
    }
}
