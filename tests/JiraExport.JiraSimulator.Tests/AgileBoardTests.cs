using System.Net;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>/rest/agile/1.0/board</c>: one scrum board per project (and DELTA's kanban board), and their configuration.</summary>
public sealed class AgileBoardTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string BoardsPath = "/rest/agile/1.0/board";

    [Fact]
    public async Task EveryProjectHasOneScrumBoardAndDeltaAlsoAKanbanBoard()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync(BoardsPath, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, body.GetProperty("total").GetInt32());
        Assert.True(body.GetProperty("isLast").GetBoolean());
        var boards = body.GetProperty("values").EnumerateArray().ToList();
        foreach (var project in JiraCatalog.Projects)
        {
            var own = boards.Where(b => b.GetProperty("location").GetProperty("projectKey").GetString() == project.Key).ToList();
            Assert.Single(own, b => b.GetProperty("type").GetString() == "scrum");
            Assert.Equal(project.Key == "DELTA" ? 1 : 0, own.Count(b => b.GetProperty("type").GetString() == "kanban"));
            Assert.All(own, b => Assert.Equal(long.Parse(project.Id, System.Globalization.CultureInfo.InvariantCulture), b.GetProperty("location").GetProperty("projectId").GetInt64()));
        }

        Assert.All(boards, b => Assert.EndsWith($"/rest/agile/1.0/board/{b.IntId()}", b.GetProperty("self").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("projectKeyOrId=ALPHA", new[] { 1 })]
    [InlineData("projectKeyOrId=delta", new[] { 4, 5 })]
    [InlineData("projectKeyOrId=10003", new[] { 4, 5 })]
    [InlineData("type=kanban", new[] { 5 })]
    [InlineData("type=scrum&projectKeyOrId=DELTA", new[] { 4 })]
    [InlineData("name=gamma", new[] { 3 })]
    public async Task FiltersNarrowTheList(string query, int[] expected)
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.GetJsonAsync($"{BoardsPath}?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(expected, body.GetProperty("values").EnumerateArray().Select(b => b.IntId()));
        Assert.Equal(expected.Length, body.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SmallPagesVisitEveryBoardOnce()
    {
        using var client = simulator.CreateClient();

        var (boards, pages) = await client.ReadAgileValuesAsync($"{BoardsPath}?maxResults=2", TestContext.Current.CancellationToken);

        Assert.Equal(3, pages);
        Assert.Equal([1, 2, 3, 4, 5], boards.Select(b => b.IntId()));
    }

    [Fact]
    public async Task UnknownProjectIsRefusedAndUnknownBoardIsNotFound()
    {
        using var client = simulator.CreateClient();

        var (unknownProject, body) = await client.GetJsonAsync($"{BoardsPath}?projectKeyOrId=NOPE", TestContext.Current.CancellationToken);
        var (unknownBoard, _) = await client.GetJsonAsync($"{BoardsPath}/77", TestContext.Current.CancellationToken);
        var (badId, _) = await client.GetJsonAsync($"{BoardsPath}/abc/sprint", TestContext.Current.CancellationToken);
        var (badType, _) = await client.GetJsonAsync($"{BoardsPath}?type=agile", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, unknownProject.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
        Assert.Equal(HttpStatusCode.NotFound, unknownBoard.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task ConfigurationMapsEveryStatusToOneColumnAndEstimatesWithStoryPoints(int boardId)
    {
        using var client = simulator.CreateClient();

        var (response, config) = await client.GetJsonAsync($"{BoardsPath}/{boardId}/configuration", TestContext.Current.CancellationToken);
        var (_, fields) = await client.GetJsonAsync("/rest/api/3/field", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var columns = config.GetProperty("columnConfig").GetProperty("columns").EnumerateArray().ToList();
        var mapped = columns.SelectMany(c => c.GetProperty("statuses").EnumerateArray().Select(s => s.Id())).ToList();
        Assert.Equal(JiraCatalog.Statuses.Select(s => s.Id).Order(StringComparer.Ordinal), mapped.Order(StringComparer.Ordinal));
        Assert.Equal("Done", columns[^1].GetProperty("name").GetString());

        var estimation = config.GetProperty("estimation");
        Assert.Equal("field", estimation.GetProperty("type").GetString());
        var fieldId = estimation.GetProperty("field").GetProperty("fieldId").GetString();
        Assert.Equal("Story Points", fields.EnumerateArray().Single(f => f.Id() == fieldId).GetProperty("name").GetString());
        Assert.Equal(10019, config.GetProperty("ranking").GetProperty("rankCustomFieldId").GetInt32());
        Assert.Equal(boardId == 5 ? "kanban" : "scrum", config.GetProperty("type").GetString());
        Assert.Equal(boardId == 5 ? "DELTA" : "ALPHA", config.GetProperty("location").GetProperty("key").GetString());
    }
}
