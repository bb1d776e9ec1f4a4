using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;
using static JiraExport.IntegrationTests.Infrastructure.FlowHistories;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Insights over sixteen weeks of made-up throughput whose signals are known: two or three items a week for eight weeks,
/// then four to six. Every item starts on a Monday and finishes on the Wednesday (3 days, inclusive).
/// </summary>
public sealed class InsightTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Window = "project=PBC&from=2026-06-01&to=2026-09-20";
    private static readonly int[] Weekly = [2, 3, 2, 3, 2, 3, 2, 3, 4, 4, 5, 4, 4, 6, 4, 4];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachRuleIsReportedWithItsEvidenceWhetherItFoundSomethingOrNot()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, Histories(DateTimeOffset.UtcNow), Token);

        using var response = await tenant.Client.GetAsync($"/api/v1/analytics/insights?{Window}", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token) + system.Api.RecentOutput);
        var insights = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["insights"]!.AsArray().ToDictionary(i => (string)i!["kind"]!, i => i!.AsObject());

        // Every cycle time is 3 days; PBC-OLD started 30 days ago, PBC-NEW today.
        var aging = insights["aging-beyond-p85"];
        Assert.Equal("signal", (string)aging["outcome"]!);
        Assert.Equal(["PBC-OLD"], aging["issues"]!.AsArray().Select(i => (string)i!["key"]!));
        // 31 days counted inclusive; 32 if the day turned between the fixture and the answer.
        Assert.InRange((int)aging["issues"]![0]!["days"]!, 31, 32);
        Assert.Contains("85th percentile", (string)aging["rule"]!);

        // Limits from weeks 1–8: mean 2.5, moving ranges all 1, so 0 to 5.16. Week 14 (6) is above; weeks 8–16 (a baseline 3, then
        // eight weeks of 4 or more) are nine in a row above the mean.
        var throughput = insights["throughput-shift"];
        Assert.Equal("signal", (string)throughput["outcome"]!);
        Assert.Equal(Weekly.Select(w => (double)w), throughput["points"]!.AsArray().Select(p => (double)p!["value"]!));
        Assert.Equal("2026-06-01", (string)throughput["points"]![0]!["label"]!);
        Assert.Equal((2.5, 1.0, 0.0, 5.16), ((double)throughput["limits"]!["mean"]!, (double)throughput["limits"]!["averageMovingRange"]!,
            (double)throughput["limits"]!["lower"]!, (double)throughput["limits"]!["upper"]!));
        Assert.Equal(["run-of-8:7-15", "beyond-limit:13-13"],
            throughput["signals"]!.AsArray().Select(s => $"{(string)s!["rule"]!}:{(int)s["first"]!}-{(int)s["last"]!}"));
        Assert.StartsWith("2 signal(s); the first: the week of 2026-07-20: 9 points in a row above the mean 2.5", (string)throughput["summary"]!);

        // Nothing is in progress at the end of any Sunday of the window: a flat line, no signal.
        var wip = insights["wip-shift"];
        Assert.Equal(("none", 16), ((string)wip["outcome"]!, wip["points"]!.AsArray().Count));

        // The connection has no closed sprint.
        Assert.Equal("not-enough-data", (string)insights["sprint-scope-change"]["outcome"]!);
    }

    [Fact]
    public async Task AWindowTooShortForAShiftSaysHowToWidenIt()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await system.LoadAsync(tenant, Histories(DateTimeOffset.UtcNow), Token);

        using var response = await tenant.Client.GetAsync("/api/v1/analytics/insights?project=PBC&from=2026-06-01&to=2026-07-31", Token);
        var insights = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["insights"]!.AsArray();

        var throughput = insights.Single(i => (string)i!["kind"]! == "throughput-shift")!;
        Assert.Equal("not-enough-data", (string)throughput["outcome"]!);
        Assert.Contains("8 full weeks; a shift needs at least 12", (string)throughput["summary"]!);
    }

    [Fact]
    public async Task InsightsNeedTheAnalyticsScope()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "exports only", scopes = new[] { "exports:read" } }, Token);
        using var exportsOnly = system.CreateApiClient((string)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["key"]!);

        using var refused = await exportsOnly.GetAsync($"/api/v1/analytics/insights?{Window}", Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static List<FlowHistory> Histories(DateTimeOffset now)
    {
        var issues = new List<FlowHistory>();
        var monday = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        for (var week = 0; week < Weekly.Length; week++)
        {
            for (var item = 0; item < Weekly[week]; item++)
            {
                var started = monday.AddDays(7 * week);
                var n = issues.Count + 1;
                issues.Add(new FlowHistory(1000 + n, $"PBC-{n}", "PBC", "Story", started.AddHours(-2), Done,
                    new FlowStep($"s{n}", started, ToDo, InProgress), new FlowStep($"f{n}", started.AddDays(2), InProgress, Done)));
            }
        }

        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        issues.Add(new FlowHistory(2001, "PBC-OLD", "PBC", "Story", today.AddDays(-40), InProgress, new FlowStep("old", today.AddDays(-30), ToDo, InProgress)));
        issues.Add(new FlowHistory(2002, "PBC-NEW", "PBC", "Story", today.AddDays(-1), InProgress, new FlowStep("new", today, ToDo, InProgress)));
        return issues;
    }
}
