using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>GET /issue/{key}/changelog</c>: seeded histories that agree with the issue, paged by startAt/maxResults.</summary>
public sealed class ChangelogTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    /// <summary>Every 250th issue (id % 250 == 7) carries 130 extra Rank changes: more than one page of 100.</summary>
    public const string LongHistoryIssueId = "10007";

    private const string ToDoId = "10000";

    [Fact]
    public async Task StatusChangesWalkFromToDoToTheCurrentStatus()
    {
        using var client = simulator.CreateClient();
        var (_, found) = await client.PostJsonAsync("/rest/api/3/search/jql",
            new { jql = "project = GAMMA AND status in (\"In Progress\", \"In Review\", Done) ORDER BY key", fields = new[] { "status" }, maxResults = 40 },
            TestContext.Current.CancellationToken);
        var issues = found.GetProperty("issues").EnumerateArray().ToList();
        Assert.Equal(40, issues.Count);

        foreach (var issue in issues)
        {
            var status = issue.GetProperty("fields").GetProperty("status");
            var changes = (await client.ReadChangelogAsync(issue.Key(), TestContext.Current.CancellationToken)).StatusChanges();

            Assert.NotEmpty(changes);
            Assert.Equal(ToDoId, changes[0].GetProperty("from").GetString());
            for (var i = 1; i < changes.Count; i++)
            {
                Assert.Equal(changes[i - 1].GetProperty("to").GetString(), changes[i].GetProperty("from").GetString());
            }

            Assert.Equal(status.Id(), changes[^1].GetProperty("to").GetString());
            Assert.Equal(status.GetProperty("name").GetString(), changes[^1].GetProperty("toString").GetString());
            Assert.Equal("status", changes[^1].GetProperty("fieldId").GetString());
        }
    }

    [Fact]
    public async Task ToDoIssuesHaveNoStatusChange()
    {
        using var client = simulator.CreateClient();
        var keys = await client.SearchKeysAsync("project = DELTA AND status = \"To Do\" ORDER BY key", TestContext.Current.CancellationToken);

        Assert.NotEmpty(keys);
        foreach (var key in keys.Take(10))
        {
            Assert.Empty((await client.ReadChangelogAsync(key, TestContext.Current.CancellationToken)).StatusChanges());
        }
    }

    [Fact]
    public async Task LongHistoryPagesByOneHundredOldestFirst()
    {
        using var client = simulator.CreateClient();
        var path = $"/rest/api/3/issue/{LongHistoryIssueId}/changelog";

        var (response, first) = await client.GetJsonAsync(path, TestContext.Current.CancellationToken);
        var total = first.GetProperty("total").GetInt32();
        var (_, second) = await client.GetJsonAsync(first.GetProperty("nextPage").GetString()!, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(total, 131, 200);
        Assert.Equal(0, first.GetProperty("startAt").GetInt32());
        Assert.Equal(100, first.GetProperty("maxResults").GetInt32());
        Assert.Equal(100, first.GetProperty("values").GetArrayLength());
        Assert.False(first.GetProperty("isLast").GetBoolean());
        var nextPage = new Uri(first.GetProperty("nextPage").GetString()!);
        Assert.EndsWith("/changelog", nextPage.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(["maxResults=100", "startAt=100"], nextPage.Query.TrimStart('?').Split('&').Order(StringComparer.Ordinal));

        Assert.Equal(100, second.GetProperty("startAt").GetInt32());
        Assert.Equal(total, second.GetProperty("total").GetInt32());
        Assert.Equal(total - 100, second.GetProperty("values").GetArrayLength());
        Assert.True(second.GetProperty("isLast").GetBoolean());
        Assert.False(second.TryGetProperty("nextPage", out _));

        var all = first.GetProperty("values").EnumerateArray().Concat(second.GetProperty("values").EnumerateArray()).ToList();
        Assert.Equal(total, all.Select(h => h.Id()).Distinct().Count());
        Assert.Equal(all.Select(h => h.Created()).Order(), all.Select(h => h.Created()));
        Assert.True(all.Count(h => h.GetProperty("items")[0].GetProperty("field").GetString() == "Rank") >= 130);
    }

    [Fact]
    public async Task SmallerPagesVisitTheSameHistories()
    {
        using var client = simulator.CreateClient();
        var whole = await client.ReadChangelogAsync(LongHistoryIssueId, TestContext.Current.CancellationToken);

        var paged = new List<string>();
        for (var startAt = 0; startAt < whole.Count; startAt += 30)
        {
            var (_, page) = await client.GetJsonAsync($"/rest/api/3/issue/{LongHistoryIssueId}/changelog?startAt={startAt}&maxResults=30", TestContext.Current.CancellationToken);
            Assert.Equal(startAt + 30 >= whole.Count, page.GetProperty("isLast").GetBoolean());
            paged.AddRange(page.GetProperty("values").EnumerateArray().Select(h => h.Id()));
        }

        Assert.Equal(whole.Select(h => h.Id()), paged);
    }

    [Fact]
    public async Task DataCenterItemsCarryNoFieldIdButCloudItemsDo()
    {
        using var client = simulator.CreateClient();

        var v2 = await client.ReadChangelogAsync("ALPHA-2", TestContext.Current.CancellationToken, version: 2);
        var v3 = await client.ReadChangelogAsync("ALPHA-2", TestContext.Current.CancellationToken, version: 3);

        Assert.Equal(v3.Select(h => h.Id()), v2.Select(h => h.Id()));
        Assert.All(v2.SelectMany(h => h.GetProperty("items").EnumerateArray()), item => Assert.False(item.TryGetProperty("fieldId", out _)));
        Assert.All(v3.SelectMany(h => h.GetProperty("items").EnumerateArray()), item => Assert.True(item.TryGetProperty("fieldId", out _)));
    }

    [Fact]
    public async Task UnknownIssueAnswers404()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/api/3/issue/ALPHA-99999/changelog", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
    }

    [Fact]
    public async Task StoriesCarryStoryPointsAndOtherTypesDoNot()
    {
        using var client = simulator.CreateClient();
        var (_, body) = await client.PostJsonAsync("/rest/api/3/search/jql",
            new { jql = "project = ALPHA ORDER BY key", fields = new[] { "issuetype", "customfield_10016" }, maxResults = 100 }, TestContext.Current.CancellationToken);

        var issues = body.GetProperty("issues").EnumerateArray()
            .Select(i => (Type: i.GetProperty("fields").GetProperty("issuetype").GetProperty("name").GetString(), Points: i.GetProperty("fields").GetProperty("customfield_10016")))
            .ToList();

        Assert.All(issues.Where(i => i.Type != "Story"), i => Assert.Equal(JsonValueKind.Null, i.Points.ValueKind));
        var points = issues.Where(i => i.Type == "Story" && i.Points.ValueKind == JsonValueKind.Number).Select(i => i.Points.GetDouble()).ToList();
        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Contains(p, new[] { 1d, 2, 3, 5, 8, 13 }));
    }
}
