using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;
using static JiraExport.IntegrationTests.Infrastructure.FlowHistories;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The flow metrics over hand-made histories whose answers were worked out by hand (November 2026: the 1st is a Sunday).
/// Each definition variant changes the answer, so a rule applied wrongly shows.
/// </summary>
public sealed class FlowMetricsTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string NovemberWindow = "from=2026-11-01&to=2026-11-30";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheBuiltInDefinitionGivesTheHandComputedCycleTimesWithTheTransitionsBehindEach()
    {
        var tenant = await ArrangeAsync();

        var cycle = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}");
        Assert.Equal("default", (string)cycle["basis"]!["definitionName"]!);
        Assert.Equal(1, (int)cycle["basis"]!["definitionVersion"]!);
        Assert.Equal(6, (int)cycle["count"]!);
        // H 10, A 4, C 3, I 8, D 1, B 10 (calendar days, end − start + 1): 1 3 4 8 10 10.
        AssertDistribution(cycle, min: 1, p50: 4, p70: 10, p85: 10, p95: 10, max: 10, mean: 6.0);

        var items = await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v2/analytics/flow/cycle-time/items?project=FLOW&{NovemberWindow}", Token);
        var list = items!["items"]!.AsArray();
        Assert.Equal(["FLOW-8", "FLOW-1", "FLOW-3", "FLOW-9", "FLOW-4", "FLOW-2"], list.Select(i => (string)i!["issueKey"]!));
        var reopened = list.Single(i => (string)i!["issueKey"]! == "FLOW-2")!;
        Assert.Equal(10, (int)reopened["days"]!);
        Assert.Equal("b1", (string)reopened["startedBy"]!["historyId"]!);
        Assert.Equal("b4", (string)reopened["finishedBy"]!["historyId"]!);
        var createdInProgress = list.Single(i => (string)i!["issueKey"]! == "FLOW-3")!;
        Assert.Null(createdInProgress["startedBy"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 7, 9, 0, 0, TimeSpan.Zero), (DateTimeOffset)createdInProgress["start"]!);
        Assert.Equal("c1", (string)createdInProgress["finishedBy"]!["historyId"]!);
    }

    [Fact]
    public async Task LeadTimeThroughputAndWipFollowTheBuiltInDefinition()
    {
        var tenant = await ArrangeAsync();

        // Created → last move into Done: A 5, B 10, C 3, D 3, H 15, I 9.
        AssertDistribution(await GetAsync(tenant, $"lead-time?project=FLOW&{NovemberWindow}"), min: 3, p50: 5, p70: 10, p85: 15, p95: 15, max: 15, mean: 7.5);

        var daily = await GetAsync(tenant, $"throughput?project=FLOW&{NovemberWindow}");
        Assert.Equal(6, (int)daily["count"]!);
        Assert.Equal(30, daily["series"]!.AsArray().Count);
        Assert.Equal(new Dictionary<string, int> { ["2026-11-03"] = 1, ["2026-11-05"] = 1, ["2026-11-09"] = 2, ["2026-11-10"] = 1, ["2026-11-12"] = 1 },
            Series(daily).Where(p => p.Value > 0).ToDictionary());

        var weekly = await GetAsync(tenant, $"throughput?project=FLOW&{NovemberWindow}&bucket=week");
        Assert.Equal(new Dictionary<string, int>
        {
            ["2026-10-26"] = 0, ["2026-11-02"] = 2, ["2026-11-09"] = 4, ["2026-11-16"] = 0, ["2026-11-23"] = 0, ["2026-11-30"] = 0,
        }, Series(weekly).ToDictionary());

        // In progress at the end of each day. E counts from its first start on the 11th; F only on the 15th.
        var wip = Series(await GetAsync(tenant, $"wip?project=FLOW&{NovemberWindow}")).Select(p => p.Value).ToArray();
        int[] expected = [1, 3, 3, 3, 2, 2, 3, 3, 1, 1, 2, 1, 1, 1, 2, .. Enumerable.Repeat(1, 15)];
        Assert.Equal(expected, wip);
    }

    [Fact]
    public async Task WorkItemAgeCountsOnlyWhatIsInProgressNow()
    {
        var tenant = await ArrangeAsync();
        var before = DateOnly.FromDateTime(DateTime.UtcNow);

        var age = await GetAsync(tenant, "age?project=FLOW");
        var after = DateOnly.FromDateTime(DateTime.UtcNow);

        // Only E: F went back to To Do, G never started. Its first start was 11 November (inclusive days).
        Assert.Equal(1, (int)age["count"]!);
        var days = (int)age["distribution"]!["max"]!;
        Assert.Contains(days, new[] { before, after }.Select(today => today.DayNumber - new DateOnly(2026, 11, 11).DayNumber + 1));
    }

    [Fact]
    public async Task BusinessDaysLeaveOutWeekendsAndTheTenantsHolidaysAndAFirstEndCountsTheFirstMoveIntoDone()
    {
        var tenant = await ArrangeAsync();
        using (var calendar = await tenant.Client.PutAsJsonAsync("/api/v1/analytics/calendar", new { timeZone = "UTC", holidays = new[] { "2026-11-04" } }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, calendar.StatusCode);
        }

        var id = await CreateDefinitionAsync(tenant, "business-first-end", new
        {
            start = new { category = "indeterminate", crossing = "first" },
            end = new { category = "done", crossing = "first" },
            days = "business",
            counting = "elapsed",
        });

        // A Mon 2 → Thu 5 without Wed 4: 2. B Tue 3 → Fri 6: 2. C Sat 7 → Mon 9: 0. D: 0. H Sun 25 Oct → Tue 3: 6. I Mon 2 → Tue 3: 1.
        var cycle = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}&definitionId={id}");
        AssertDistribution(cycle, min: 0, p50: 1, p70: 2, p85: 6, p95: 6, max: 6, mean: 11 / 6.0);
        Assert.Equal(1, (int)cycle["basis"]!["calendarVersion"]!);
    }

    [Fact]
    public async Task ALastStartWithAFirstEndOnAReopenedIssueCountsToTheLastMoveIntoDone()
    {
        var tenant = await ArrangeAsync();
        var id = await CreateDefinitionAsync(tenant, "last-start-first-end", new
        {
            start = new { category = "indeterminate", crossing = "last" },
            end = new { category = "done", crossing = "first" },
            days = "calendar",
            counting = "inclusive",
        });

        var items = await tenant.Client.GetFromJsonAsync<JsonObject>(
            $"/api/v1/analytics/flow/cycle-time/items?project=FLOW&{NovemberWindow}&definitionId={id}", Token);
        // I started last on the 6th; its first move into Done (the 3rd) came before, so the end is its last (the 9th).
        var reopened = items!["items"]!.AsArray().Single(i => (string)i!["issueKey"]! == "FLOW-9")!;
        Assert.Equal("i4", (string)reopened["startedBy"]!["historyId"]!);
        Assert.Equal("i5", (string)reopened["finishedBy"]!["historyId"]!);
        Assert.Equal(4, (int)reopened["days"]!);
    }

    [Fact]
    public async Task NamedStatusesUseTheSitesStatusListAndNameTheOnesItDoesNotHave()
    {
        var tenant = await ArrangeAsync();
        var id = await CreateDefinitionAsync(tenant, "review-to-done", new
        {
            start = new { statuses = new[] { "in review", "QA" }, crossing = "last" },
            end = new { category = "done", crossing = "last" },
            days = "calendar",
            counting = "elapsed",
        });

        // Only A passed through In Review (no issue is in it now): Thu 4 → Thu 5 is 1; the others moved into Done from
        // outside the started statuses, which starts and ends them at once.
        var cycle = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}&definitionId={id}");
        AssertDistribution(cycle, min: 0, p50: 0, p70: 0, p85: 1, p95: 1, max: 1, mean: 1 / 6.0);
        Assert.Equal(["QA"], cycle["unknownStatuses"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public async Task IssueTypesNarrowTheItemsThatCount()
    {
        var tenant = await ArrangeAsync();
        var id = await CreateDefinitionAsync(tenant, "bugs", new
        {
            start = new { category = "indeterminate", crossing = "first" },
            end = new { category = "done", crossing = "last" },
            days = "calendar",
            counting = "inclusive",
            issueTypes = new[] { "bug" },
        });

        var cycle = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}&definitionId={id}");
        Assert.Equal(1, (int)cycle["count"]!);
        AssertDistribution(cycle, min: 10, p50: 10, p70: 10, p85: 10, p95: 10, max: 10, mean: 10);
    }

    [Fact]
    public async Task DatesAreReadInTheTenantsTimeZone()
    {
        var tenant = await ArrangeAsync();
        Assert.Equal(1, (int)(await GetAsync(tenant, $"throughput?project=ZONE&{NovemberWindow}"))["count"]!);

        using (var calendar = await tenant.Client.PutAsJsonAsync("/api/v1/analytics/calendar", new { timeZone = "Europe/Berlin" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, calendar.StatusCode);
        }

        // 23:30 UTC on 30 November is half past midnight on 1 December in Berlin.
        Assert.Equal(0, (int)(await GetAsync(tenant, $"throughput?project=ZONE&{NovemberWindow}"))["count"]!);
        var december = await GetAsync(tenant, "throughput?project=ZONE&from=2026-12-01&to=2026-12-01");
        Assert.Equal(1, (int)december["count"]!);
        Assert.Equal("Europe/Berlin", (string)december["basis"]!["timeZone"]!);
    }

    [Fact]
    public async Task AFigureComputedWithAnEarlierVersionOfADefinitionComesOutTheSameAfterTheDefinitionChanges()
    {
        var tenant = await ArrangeAsync();
        var id = await CreateDefinitionAsync(tenant, "team", new
        {
            start = new { category = "indeterminate", crossing = "first" },
            end = new { category = "done", crossing = "last" },
            days = "calendar",
            counting = "inclusive",
        });
        using var changed = await tenant.Client.PutAsJsonAsync($"/api/v1/analytics/definitions/{id}", new
        {
            rules = new { start = new { category = "indeterminate", crossing = "first" }, end = new { category = "done", crossing = "last" }, days = "calendar", counting = "elapsed" },
            note = "count like Jira's control chart",
        }, Token);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var latest = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}&definitionId={id}");
        Assert.Equal(2, (int)latest["basis"]!["definitionVersion"]!);
        Assert.Equal(5.0, (double)latest["distribution"]!["mean"]!);
        var first = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}&definitionId={id}&definitionVersion=1");
        Assert.Equal(1, (int)first["basis"]!["definitionVersion"]!);
        Assert.Equal(6.0, (double)first["distribution"]!["mean"]!);

        var version1 = await tenant.Client.GetFromJsonAsync<JsonObject>($"/api/v2/analytics/definitions/{id}?definitionVersion=1", Token);
        Assert.Equal("inclusive", (string)version1!["rules"]!["counting"]!);
    }

    [Fact]
    public async Task ASyncKeepsTheSitesStatusesWithTheirCategoriesSoFiguresPlaceStatusesNoIssueIsInNow()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND status = Done" }, Token);

        var statuses = await system.ReadAsOwnerAsync(
            "SELECT name || ':' || category FROM jira_statuses WHERE connection_id = @c ORDER BY name",
            new Dictionary<string, object> { ["c"] = tenant.ConnectionId }, Token);
        Assert.Equal(["Done:done", "In Progress:indeterminate", "In Review:indeterminate", "To Do:new"], statuses);
        var from = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1000).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var cycle = await GetAsync(tenant, $"cycle-time?project=DELTA&from={from}");
        Assert.True((int)cycle["count"]! > 0, cycle.ToJsonString());
    }

    [Fact]
    public async Task AJiraThatListsTooManyOrMalformedStatusesStillSyncsAndKeepsABoundedList()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var simulator = system.CreateSimulatorClient();
        try
        {
            // 6,000 statuses with 300-character names, one id too long for any column.
            var hostile = new JsonArray([.. Enumerable.Range(0, 6000).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i == 0 ? new string('9', 80) : $"9{i}",
                ["name"] = new string('x', 300),
                ["statusCategory"] = new JsonObject { ["key"] = "indeterminate" },
            })]);
            (await simulator.PutAsJsonAsync("/_simulator/statuses", hostile, Token)).EnsureSuccessStatusCode();
            await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND status = Done" }, Token);
            var kept = await system.ReadAsOwnerAsync("SELECT count(*)::text || ' ' || max(length(name))::text FROM jira_statuses WHERE connection_id = @c",
                new Dictionary<string, object> { ["c"] = tenant.ConnectionId }, Token);
            Assert.Equal("5000 200", kept.Single());

            // Ids that are not strings: the list is not understood, and the sync goes on without it.
            (await simulator.PutAsJsonAsync("/_simulator/statuses", new JsonArray(new JsonObject { ["id"] = 7, ["name"] = "Seven" }), Token)).EnsureSuccessStatusCode();
            var again = await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND status = Done" }, Token);
            Assert.Equal("succeeded", again.Status);
        }
        finally
        {
            (await simulator.DeleteAsync("/_simulator/statuses", Token)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task ADeletedDefinitionStillComputesTheVersionAFigureRecorded()
    {
        var tenant = await ArrangeAsync();
        var id = await CreateDefinitionAsync(tenant, "retired", new
        {
            start = new { category = "indeterminate", crossing = "first" },
            end = new { category = "done", crossing = "last" },
            days = "calendar",
            counting = "elapsed",
        });
        using (var deleted = await tenant.Client.DeleteAsync($"/api/v1/analytics/definitions/{id}", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var latest = await tenant.Client.GetAsync($"/api/v1/analytics/flow/cycle-time?definitionId={id}&{NovemberWindow}", Token);
        Assert.Equal(HttpStatusCode.NotFound, latest.StatusCode);
        var recorded = await GetAsync(tenant, $"cycle-time?project=FLOW&{NovemberWindow}&definitionId={id}&definitionVersion=1");
        Assert.Equal(5.0, (double)recorded["distribution"]!["mean"]!);
    }

    [Fact]
    public async Task AnotherTenantCannotUseADefinitionOrReadAConnectionThatIsNotItsOwn()
    {
        var tenant = await ArrangeAsync();
        var id = await CreateDefinitionAsync(tenant, "private", new
        {
            start = new { category = "indeterminate", crossing = "first" },
            end = new { category = "done", crossing = "last" },
            days = "calendar",
            counting = "inclusive",
        });
        var other = await system.CreateTenantAsync(Token);

        using var definition = await other.Client.GetAsync($"/api/v1/analytics/flow/cycle-time?definitionId={id}", Token);
        Assert.Equal(HttpStatusCode.NotFound, definition.StatusCode);
        using var connection = await other.Client.GetAsync($"/api/v1/analytics/flow/cycle-time?connectionId={tenant.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, connection.StatusCode);
    }

    [Fact]
    public async Task FlowFiguresNeedTheAnalyticsScope()
    {
        var tenant = await ArrangeAsync();
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "exports only", scopes = new[] { "exports:read" } }, Token);
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["key"]!;
        using var exportsOnly = system.CreateApiClient(key);

        using var refused = await exportsOnly.GetAsync($"/api/v1/analytics/flow/cycle-time?{NovemberWindow}", Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task BadFlowQueriesAndDefinitionsAreRefusedWithWhatToChange()
    {
        var tenant = await ArrangeAsync();

        using var metric = await tenant.Client.GetAsync("/api/v1/analytics/flow/velocity-of-light", Token);
        Assert.Equal(HttpStatusCode.NotFound, metric.StatusCode);
        using var window = await tenant.Client.GetAsync("/api/v1/analytics/flow/throughput?from=2026-12-01&to=2026-11-01", Token);
        Assert.Equal(HttpStatusCode.BadRequest, window.StatusCode);
        Assert.Contains("from", (await window.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key));

        using var both = await tenant.Client.PostAsJsonAsync("/api/v1/analytics/definitions", new
        {
            name = "muddled",
            rules = new { start = new { category = "indeterminate", statuses = new[] { "In Progress" }, crossing = "sometimes" }, end = new { category = "finished", crossing = "last" }, days = "lunar", counting = "inclusive" },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        var errors = (await both.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("rules.start", errors);
        Assert.Contains("rules.end.category", errors);
        Assert.Contains("rules.days", errors);

        using var calendar = await tenant.Client.PutAsJsonAsync("/api/v1/analytics/calendar", new { timeZone = "Mars/Olympus_Mons", weekend = new[] { "7" } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, calendar.StatusCode);
        Assert.Equal(["timeZone", "weekend"], (await calendar.Content.ReadFromJsonAsync<JsonObject>(Token))!["errors"]!.AsObject().Select(e => e.Key).Order());

        // The edges of the calendar answer what to change, not a server error.
        foreach (var edge in new[] { "throughput?to=0001-01-10", "throughput?from=9999-12-01&to=9999-12-31", "age?to=9999-12-31" })
        {
            using var refused = await tenant.Client.GetAsync($"/api/v1/analytics/flow/{edge}", Token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    private async Task<TestTenant> ArrangeAsync()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, FlowHistories.November, Token);
        return tenant;
    }

    private async Task<JsonObject> GetAsync(TestTenant tenant, string query)
    {
        using var response = await tenant.Client.GetAsync($"/api/v1/analytics/flow/{query}", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token) + system.Api.RecentOutput);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
    }

    private static async Task<Guid> CreateDefinitionAsync(TestTenant tenant, string name, object rules)
    {
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/analytics/definitions", new { name, rules }, Token);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Token));
        return (Guid)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!;
    }

    private static IEnumerable<KeyValuePair<string, int>> Series(JsonObject figure) =>
        figure["series"]!.AsArray().Select(p => KeyValuePair.Create((string)p!["date"]!, (int)p["count"]!));

    private static void AssertDistribution(JsonObject figure, int min, int p50, int p70, int p85, int p95, int max, double mean)
    {
        var d = figure["distribution"]!;
        Assert.Equal([min, p50, p70, p85, p95, max], new[] { "min", "p50", "p70", "p85", "p95", "max" }.Select(k => (int)d[k]!));
        Assert.Equal(Math.Round(mean, 2), (double)d["mean"]!, 2);
    }
}
