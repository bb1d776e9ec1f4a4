using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>POST /issue/bulkfetch</c>, <c>GET /issue/{key}</c> and <c>GET /field</c>.</summary>
public sealed class IssueFetchTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string BulkPath = "/rest/api/3/issue/bulkfetch";

    [Fact]
    public async Task BulkFetchAnswersFoundIssuesInAscendingIdOrderAndLeavesOutUnknownOnes()
    {
        using var client = simulator.CreateClient();
        var expectedIds = new List<int>();
        foreach (var known in new[] { "DELTA-40", "ALPHA-9", "10003", "BETA-2" })
        {
            expectedIds.Add(int.Parse((await client.GetJsonAsync($"/rest/api/3/issue/{known}?fields=summary", TestContext.Current.CancellationToken)).Body.Id(), CultureInfo.InvariantCulture));
        }

        var (response, body) = await client.PostJsonAsync(BulkPath,
            new { issueIdsOrKeys = new[] { "DELTA-40", "ALPHA-9", "NOPE-1", "10003", "ALPHA-99999", "alpha-9", "BETA-2" }, fields = new[] { "summary" } },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issues = body.GetProperty("issues").EnumerateArray().ToList();
        Assert.Equal(expectedIds.Distinct().Order(), issues.Select(i => int.Parse(i.Id(), CultureInfo.InvariantCulture)));
        Assert.All(issues, i => Assert.Equal(["summary"], i.GetProperty("fields").EnumerateObject().Select(p => p.Name)));
        Assert.Equal(0, body.GetProperty("issueErrors").GetArrayLength());
    }

    [Fact]
    public async Task BulkFetchRefusesMoreThanOneHundredIds()
    {
        using var client = simulator.CreateClient();

        var (tooMany, body) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = Enumerable.Range(1, 101).Select(n => $"ALPHA-{n}") }, TestContext.Current.CancellationToken);
        var (justEnough, full) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = Enumerable.Range(1, 100).Select(n => $"ALPHA-{n}"), fields = new[] { "key" } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
        Assert.Equal(HttpStatusCode.OK, justEnough.StatusCode);
        Assert.Equal(100, full.GetProperty("issues").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"issueIdsOrKeys\":[\"ALPHA-1\"],\"startAt\":0}")]
    [InlineData("{\"issueIdsOrKeys\":[\"ALPHA-1\"],\"jql\":\"project = ALPHA\"}")]
    [InlineData("{\"issueIdsOrKeys\":\"ALPHA-1\"}")]
    [InlineData("{\"issueIdsOrKeys\":[]}")]
    public async Task BulkFetchRefusesInvalidBodies(string json)
    {
        using var client = simulator.CreateClient();

        var response = await client.PostAsync(BulkPath, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BulkFetchWithChangelogEmbedsAtMostFortyNewest()
    {
        using var client = simulator.CreateClient();
        var history = await client.ReadChangelogAsync(ChangelogTests.LongHistoryIssueId, TestContext.Current.CancellationToken);

        var (_, body) = await client.PostJsonAsync(BulkPath,
            new { issueIdsOrKeys = new[] { ChangelogTests.LongHistoryIssueId }, fields = new[] { "summary" }, expand = new[] { "changelog" } },
            TestContext.Current.CancellationToken);

        var changelog = Assert.Single(body.GetProperty("issues").EnumerateArray()).GetProperty("changelog");
        Assert.Equal(history.Count, changelog.GetProperty("total").GetInt32());
        Assert.Equal(history.AsEnumerable().Reverse().Take(40).Select(h => h.Id()), changelog.GetProperty("histories").EnumerateArray().Select(h => h.Id()));
    }

    [Fact]
    public async Task GetIssueAnswersEveryFieldByKeyOrId()
    {
        using var client = simulator.CreateClient();

        var (response, byKey) = await client.GetJsonAsync("/rest/api/3/issue/BETA-12", TestContext.Current.CancellationToken);
        var (_, byId) = await client.GetJsonAsync($"/rest/api/3/issue/{byKey.Id()}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("BETA-12", byKey.Key());
        Assert.Equal(byKey.GetRawText(), byId.GetRawText());
        Assert.False(byKey.TryGetProperty("changelog", out _));
        foreach (var name in new[] { "summary", "status", "priority", "assignee", "reporter", "created", "updated", "issuetype", "project", "description", "labels", "customfield_10016" })
        {
            Assert.True(byKey.GetProperty("fields").TryGetProperty(name, out _), $"missing {name}");
        }
    }

    [Fact]
    public async Task GetUnknownIssueAnswers404()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/api/3/issue/GAMMA-99999", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
    }

    [Fact]
    public async Task FieldListNamesStoryPointsAsANumberCustomField()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/api/3/field", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = body.EnumerateArray().ToDictionary(f => f.Id(), StringComparer.Ordinal);
        var storyPoints = fields["customfield_10016"];
        Assert.Equal("Story Points", storyPoints.GetProperty("name").GetString());
        Assert.True(storyPoints.GetProperty("custom").GetBoolean());
        Assert.Equal("number", storyPoints.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(10016, storyPoints.GetProperty("schema").GetProperty("customId").GetInt32());
        Assert.Contains("cf[10016]", storyPoints.GetProperty("clauseNames").EnumerateArray().Select(c => c.GetString()));
        Assert.False(fields["status"].GetProperty("custom").GetBoolean());
        Assert.Equal(JsonValueKind.String, fields["summary"].GetProperty("schema").GetProperty("system").ValueKind);
    }
}
