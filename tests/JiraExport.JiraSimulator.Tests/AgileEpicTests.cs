using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>
/// Epics: a fixed catalogue of six per project, served by the Agile API and named by issues' <c>parent</c>. They are not
/// issues of the site, so project counts stay as seeded.
/// </summary>
public sealed class AgileEpicTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task BoardEpicsSplitByDone()
    {
        using var client = simulator.CreateClient();

        var (all, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/epic", TestContext.Current.CancellationToken);
        var (done, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/epic?done=true", TestContext.Current.CancellationToken);
        var (open, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/1/epic?done=false", TestContext.Current.CancellationToken);
        var (wrong, _) = await client.GetJsonAsync("/rest/agile/1.0/board/1/epic?done=maybe", TestContext.Current.CancellationToken);

        Assert.Equal(6, all.Count);
        Assert.All(all, e => Assert.StartsWith("ALPHA-", e.GetProperty("key").GetString(), StringComparison.Ordinal));
        Assert.All(done, e => Assert.True(e.GetProperty("done").GetBoolean()));
        Assert.All(open, e => Assert.False(e.GetProperty("done").GetBoolean()));
        Assert.NotEmpty(done);
        Assert.NotEmpty(open);
        Assert.Equal(all.Select(e => e.IntId()).Order(), done.Concat(open).Select(e => e.IntId()).Order());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Fact]
    public async Task KanbanBoardSharesItsProjectsEpics()
    {
        using var client = simulator.CreateClient();

        var (_, scrum) = await client.GetJsonAsync("/rest/agile/1.0/board/4/epic", TestContext.Current.CancellationToken);
        var (_, kanban) = await client.GetJsonAsync("/rest/agile/1.0/board/5/epic", TestContext.Current.CancellationToken);

        Assert.Equal(scrum.GetProperty("values").GetRawText(), kanban.GetProperty("values").GetRawText());
        Assert.False(scrum.TryGetProperty("total", out _));
    }

    [Fact]
    public async Task EpicIssuesAreTheIssuesWhoseParentIsTheEpic()
    {
        using var client = simulator.CreateClient();
        var (epics, _) = await client.ReadAgileValuesAsync("/rest/agile/1.0/board/4/epic", TestContext.Current.CancellationToken);
        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DDELTA&fields=parent", 1000, TestContext.Current.CancellationToken);
        var byParent = issues.Where(i => i.GetProperty("fields").TryGetProperty("parent", out _))
            .ToLookup(i => i.GetProperty("fields").GetProperty("parent").Key(), i => i.Key());

        Assert.InRange(byParent.Sum(g => g.Count()), 150, 400);
        foreach (var epic in epics)
        {
            var key = epic.GetProperty("key").GetString()!;
            var listed = await client.ReadIssuePagesAsync($"/rest/agile/1.0/epic/{key}/issue?fields=parent,epic", 30, TestContext.Current.CancellationToken);
            Assert.Equal(byParent[key].Order(StringComparer.Ordinal), listed.Select(i => i.Key()).Order(StringComparer.Ordinal));
            Assert.All(listed, i => Assert.Equal(epic.IntId(), i.GetProperty("fields").GetProperty("epic").IntId()));

            var parent = listed[0].GetProperty("fields").GetProperty("parent");
            Assert.Equal(epic.IntId().ToString(System.Globalization.CultureInfo.InvariantCulture), parent.Id());
            Assert.Equal(epic.GetProperty("summary").GetString(), parent.GetProperty("fields").GetProperty("summary").GetString());
            Assert.Equal("Epic", parent.GetProperty("fields").GetProperty("issuetype").GetProperty("name").GetString());
            Assert.Equal(1, parent.GetProperty("fields").GetProperty("issuetype").GetProperty("hierarchyLevel").GetInt32());
            Assert.Equal(epic.GetProperty("done").GetBoolean() ? "Done" : "In Progress", parent.GetProperty("fields").GetProperty("status").GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task EpicIsFoundByIdOrKey()
    {
        using var client = simulator.CreateClient();

        var (byKey, epic) = await client.GetJsonAsync("/rest/agile/1.0/epic/gamma-90002", TestContext.Current.CancellationToken);
        var (_, byId) = await client.GetJsonAsync($"/rest/agile/1.0/epic/{epic.IntId()}", TestContext.Current.CancellationToken);
        var (unknown, _) = await client.GetJsonAsync("/rest/agile/1.0/epic/GAMMA-1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);
        Assert.Equal("GAMMA-90002", epic.GetProperty("key").GetString());
        Assert.Equal(epic.GetRawText(), byId.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task EpicsAreNotIssuesOfTheSite()
    {
        using var client = simulator.CreateClient();

        var (asIssue, _) = await client.GetJsonAsync("/rest/api/3/issue/DELTA-90001", TestContext.Current.CancellationToken);
        var (_, count) = await client.PostJsonAsync("/rest/api/3/search/approximate-count", new { jql = "project = DELTA" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, asIssue.StatusCode);
        Assert.Equal(500, count.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task IssuesWithoutEpicHaveNoParentField()
    {
        using var client = simulator.CreateClient();

        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DGAMMA&fields=parent,issuetype", 1000, TestContext.Current.CancellationToken);

        var withoutParent = issues.Where(i => !i.GetProperty("fields").TryGetProperty("parent", out _)).ToList();
        Assert.NotEmpty(withoutParent);
        Assert.True(withoutParent.Count < issues.Count);
        Assert.All(issues.Where(i => i.GetProperty("fields").TryGetProperty("parent", out _)),
            i => Assert.Equal(JsonValueKind.Object, i.GetProperty("fields").GetProperty("parent").ValueKind));
    }
}
