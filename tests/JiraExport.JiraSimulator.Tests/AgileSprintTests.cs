using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>/board/{id}/sprint</c>, <c>/sprint/{id}</c> and <c>/sprint/{id}/issue</c>: the two-week sprints of each scrum board.</summary>
public sealed partial class AgileSprintTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    /// <summary>The seed's last update: every board's active sprint holds it.</summary>
    private static readonly DateTimeOffset SeedEnd = new(2026, 11, 20, 18, 0, 0, TimeSpan.FromHours(3));

    [Theory]
    [InlineData(1, "ALPHA", 2)]
    [InlineData(2, "BETA", 1)]
    [InlineData(3, "GAMMA", 2)]
    [InlineData(4, "DELTA", 1)]
    public async Task SprintsComeClosedThenActiveThenFutureWithConsistentDates(int boardId, string project, int future)
    {
        using var client = simulator.CreateClient();

        var (sprints, pages) = await client.ReadAgileValuesAsync($"/rest/agile/1.0/board/{boardId}/sprint", TestContext.Current.CancellationToken);

        Assert.Equal(2, pages);
        var states = sprints.Select(s => s.GetProperty("state").GetString()).ToList();
        Assert.Equal(states.Order(Comparer<string?>.Create((a, b) => Rank(a).CompareTo(Rank(b)))), states);
        Assert.Single(states, s => s == "active");
        Assert.Equal(future, states.Count(s => s == "future"));
        Assert.True(states.Count(s => s == "closed") > 70);
        Assert.Equal(Enumerable.Range(1, sprints.Count).Select(n => $"{project} Sprint {n}"), sprints.Select(s => s.GetProperty("name").GetString()));
        Assert.All(sprints, s => Assert.Equal(boardId, s.GetProperty("originBoardId").GetInt32()));
        Assert.All(sprints.SelectMany(s => s.EnumerateObject()).Where(p => p.Name.EndsWith("Date", StringComparison.Ordinal)),
            p => Assert.Matches(ExtendedDate(), p.Value.GetString()));

        DateTimeOffset? previousComplete = null;
        foreach (var sprint in sprints.Where(s => s.GetProperty("state").GetString() == "closed"))
        {
            var (start, end, complete) = (sprint.AgileDate("startDate")!.Value, sprint.AgileDate("endDate")!.Value, sprint.AgileDate("completeDate")!.Value);
            Assert.Equal(TimeSpan.FromDays(14), end - start);
            Assert.InRange(complete, start, end);
            Assert.True(previousComplete is null || previousComplete < start, $"{sprint.GetProperty("name")} starts before the previous one completed");
            previousComplete = complete;
        }

        var active = sprints.Single(s => s.GetProperty("state").GetString() == "active");
        Assert.InRange(SeedEnd, active.AgileDate("startDate")!.Value, active.AgileDate("endDate")!.Value);
        Assert.True(previousComplete < active.AgileDate("startDate"));
        Assert.False(active.TryGetProperty("completeDate", out _));
        Assert.All(sprints.Where(s => s.GetProperty("state").GetString() == "future"), s =>
            Assert.DoesNotContain(s.EnumerateObject(), p => p.Name is "startDate" or "endDate" or "completeDate"));
    }

    [Fact]
    public async Task StateFilterKeepsOnlyThoseStates()
    {
        using var client = simulator.CreateClient();

        var (openSprints, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/sprint?state=future,active", TestContext.Current.CancellationToken);
        var (closed, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/sprint?state=closed", TestContext.Current.CancellationToken);
        var (all, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/sprint", TestContext.Current.CancellationToken);
        var (wrong, body) = await client.GetJsonAsync("/rest/agile/1.0/board/1/sprint?state=open", TestContext.Current.CancellationToken);

        Assert.Equal(["active", "future", "future"], openSprints.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(all.Count, closed.Count + openSprints.Count);
        Assert.All(closed, s => Assert.Equal("closed", s.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
    }

    [Fact]
    public async Task KanbanBoardHasNoSprints()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/agile/1.0/board/5/sprint", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["The board does not support sprints"], body.ErrorMessages());
    }

    [Fact]
    public async Task SprintByIdIsTheOneTheBoardLists()
    {
        using var client = simulator.CreateClient();
        var (sprints, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/2/sprint", TestContext.Current.CancellationToken);

        foreach (var listed in new[] { sprints[0], sprints[^2], sprints[^1] })
        {
            var (response, sprint) = await client.GetJsonAsync($"/rest/agile/1.0/sprint/{listed.IntId()}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(listed.GetRawText(), sprint.GetRawText());
        }

        var (unknown, _) = await client.GetJsonAsync("/rest/agile/1.0/sprint/999999", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task SprintIssuesPageToTheirTotalAndEachCarriesThatSprint()
    {
        using var client = simulator.CreateClient();
        var (sprints, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/sprint?state=closed", TestContext.Current.CancellationToken);
        var sprint = sprints[40];

        var issues = await client.ReadIssuePagesAsync($"/rest/agile/1.0/sprint/{sprint.IntId()}/issue", 7, TestContext.Current.CancellationToken);

        Assert.True(issues.Count > 14, $"only {issues.Count} issues in {sprint.GetProperty("name")}");
        Assert.Equal(issues.Count, issues.Select(i => i.Key()).Distinct().Count());
        Assert.Equal(issues.Select(i => int.Parse(i.Key()[6..], System.Globalization.CultureInfo.InvariantCulture)).Order(), issues.Select(i => int.Parse(i.Key()[6..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(issues, issue =>
        {
            Assert.StartsWith($"{simulator.BaseAddress.ToString().TrimEnd('/')}/rest/agile/1.0/issue/", issue.GetProperty("self").GetString(), StringComparison.Ordinal);
            Assert.Contains(sprint.IntId(), issue.SprintIds());
            Assert.Contains(sprint.IntId(), issue.GetProperty("fields").GetProperty("closedSprints").EnumerateArray().Select(s => s.IntId()));
            Assert.True(issue.GetProperty("fields").TryGetProperty("epic", out _));
        });
    }

    [Fact]
    public async Task ActiveSprintIssuesShowItAsTheirSprint()
    {
        using var client = simulator.CreateClient();
        var (active, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/3/sprint?state=active", TestContext.Current.CancellationToken);
        var sprintId = Assert.Single(active).IntId();

        var issues = await client.ReadIssuePagesAsync($"/rest/agile/1.0/sprint/{sprintId}/issue", 50, TestContext.Current.CancellationToken);

        Assert.NotEmpty(issues);
        Assert.All(issues, issue =>
        {
            Assert.Equal(sprintId, issue.GetProperty("fields").GetProperty("sprint").IntId());
            Assert.Equal(sprintId, issue.SprintIds()[^1]);
        });
        Assert.Contains(issues, i => i.GetProperty("fields").GetProperty("status").GetProperty("name").GetString() == "Done");
        Assert.Contains(issues, i => i.GetProperty("fields").GetProperty("status").GetProperty("name").GetString() != "Done");
    }

    [Fact]
    public async Task SprintIssuesJqlFiltersAndOrders()
    {
        using var client = simulator.CreateClient();
        var (sprints, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/sprint?state=closed", TestContext.Current.CancellationToken);
        var path = $"/rest/agile/1.0/sprint/{sprints[30].IntId()}/issue";

        var all = await client.ReadIssuePagesAsync(path, 100, TestContext.Current.CancellationToken);
        var done = await client.ReadIssuePagesAsync($"{path}?jql={Uri.EscapeDataString("status = Done ORDER BY key DESC")}&fields=status", 100, TestContext.Current.CancellationToken);

        Assert.NotEmpty(done);
        Assert.True(done.Count < all.Count, "every issue of the sprint is done");
        Assert.All(done, i => Assert.Equal("Done", i.GetProperty("fields").GetProperty("status").GetProperty("name").GetString()));
        Assert.Equal(all.Where(i => i.GetProperty("fields").GetProperty("status").GetProperty("name").GetString() == "Done").Select(i => i.Key()).Reverse(), done.Select(i => i.Key()));
        Assert.Equal(["status"], done[0].GetProperty("fields").EnumerateObject().Select(p => p.Name));
    }

    private static int Rank(string? state) => state switch { "closed" => 0, "active" => 1, "future" => 2, _ => 3 };

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+03:00$")]
    private static partial Regex ExtendedDate();
}
