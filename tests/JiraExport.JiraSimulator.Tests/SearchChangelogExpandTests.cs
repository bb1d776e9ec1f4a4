using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>
/// <c>expand=changelog</c> on search: Cloud's enhanced search embeds only the 20 newest histories (newest first, with the
/// full total); Data Center's search embeds them all.
/// </summary>
public sealed class SearchChangelogExpandTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task CloudSearchEmbedsTheTwentyNewestHistoriesWithTheFullTotal()
    {
        using var client = simulator.CreateClient();
        var (key, history) = await LongHistoryAsync(client);

        var (response, body) = await client.PostJsonAsync("/rest/api/3/search/jql",
            new { jql = $"key = {key}", fields = new[] { "summary" }, expand = "changelog" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changelog = Assert.Single(body.GetProperty("issues").EnumerateArray()).GetProperty("changelog");
        Assert.Equal(history.Count, changelog.GetProperty("total").GetInt32());
        Assert.Equal(0, changelog.GetProperty("startAt").GetInt32());
        Assert.Equal(20, changelog.GetProperty("maxResults").GetInt32());
        Assert.Equal(history.AsEnumerable().Reverse().Take(20).Select(h => h.Id()), Ids(changelog));
    }

    [Fact]
    public async Task CloudSearchEmbedsShortChangelogsWhole()
    {
        using var client = simulator.CreateClient();
        var (_, body) = await client.PostJsonAsync("/rest/api/3/search/jql",
            new { jql = "project = DELTA ORDER BY key", fields = new[] { "summary" }, expand = "changelog", maxResults = 10 }, TestContext.Current.CancellationToken);

        foreach (var issue in body.GetProperty("issues").EnumerateArray())
        {
            var history = await client.ReadChangelogAsync(issue.Key(), TestContext.Current.CancellationToken);
            var changelog = issue.GetProperty("changelog");
            Assert.True(history.Count <= 20, $"{issue.Key()} has a long history");
            Assert.Equal(history.Count, changelog.GetProperty("total").GetInt32());
            Assert.Equal(history.AsEnumerable().Reverse().Select(h => h.Id()), Ids(changelog));
        }
    }

    [Fact]
    public async Task CloudSearchWithoutExpandHasNoChangelog()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql = "project = DELTA", fields = new[] { "summary" }, maxResults = 3 }, TestContext.Current.CancellationToken);

        Assert.All(body.GetProperty("issues").EnumerateArray(), i => Assert.False(i.TryGetProperty("changelog", out _)));
    }

    [Fact]
    public async Task DataCenterSearchEmbedsEveryHistory()
    {
        using var client = simulator.CreateClient();
        var (key, history) = await LongHistoryAsync(client);

        var (viaGet, fromQuery) = await client.GetJsonAsync($"/rest/api/2/search?jql=key%3D{key}&fields=summary&expand=changelog", TestContext.Current.CancellationToken);
        var (_, fromBody) = await client.PostJsonAsync("/rest/api/2/search", new { jql = $"key = {key}", fields = new[] { "summary" }, expand = new[] { "changelog" } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, viaGet.StatusCode);
        foreach (var body in new[] { fromQuery, fromBody })
        {
            var changelog = Assert.Single(body.GetProperty("issues").EnumerateArray()).GetProperty("changelog");
            Assert.True(history.Count > 100);
            Assert.Equal(history.Count, changelog.GetProperty("total").GetInt32());
            Assert.Equal(history.Count, changelog.GetProperty("maxResults").GetInt32());
            Assert.Equal(history.AsEnumerable().Reverse().Select(h => h.Id()), Ids(changelog));
        }
    }

    private static async Task<(string Key, List<JsonElement> History)> LongHistoryAsync(HttpClient client)
    {
        var (_, issue) = await client.GetJsonAsync($"/rest/api/3/issue/{ChangelogTests.LongHistoryIssueId}?fields=summary", TestContext.Current.CancellationToken);
        return (issue.Key(), await client.ReadChangelogAsync(issue.Key(), TestContext.Current.CancellationToken));
    }

    private static IEnumerable<string> Ids(JsonElement changelog) =>
        changelog.GetProperty("histories").EnumerateArray().Select(h => h.Id());
}
