using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>GET /issue/{key}/comment</c> and the <c>comment</c> field: 0–5 comments an issue, in Russian and English.</summary>
public sealed partial class CommentTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task CommentPagesAddUpToTheCommentField()
    {
        using var client = simulator.CreateClient();
        var (key, field) = await IssueWithCommentsAsync(client, atLeast: 3);

        var paged = new List<string>();
        for (var startAt = 0; startAt < field.GetProperty("total").GetInt32(); startAt += 2)
        {
            var (response, page) = await client.GetJsonAsync($"/rest/api/3/issue/{key}/comment?startAt={startAt}&maxResults=2", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((startAt, 2), (page.GetProperty("startAt").GetInt32(), page.GetProperty("maxResults").GetInt32()));
            Assert.Equal(field.GetProperty("total").GetInt32(), page.GetProperty("total").GetInt32());
            paged.AddRange(page.GetProperty("comments").EnumerateArray().Select(c => c.Id()));
        }

        Assert.Equal(field.GetProperty("comments").EnumerateArray().Select(c => c.Id()), paged);
        Assert.Equal(field.GetProperty("total").GetInt32(), field.GetProperty("maxResults").GetInt32());
        var created = field.GetProperty("comments").EnumerateArray().Select(c => c.Created()).ToList();
        Assert.Equal(created.Order(), created);
    }

    [Fact]
    public async Task CloudBodiesAreAdfAndDataCenterBodiesAreWikiText()
    {
        using var client = simulator.CreateClient();
        var (key, _) = await IssueWithCommentsAsync(client, atLeast: 2);

        var (_, v3) = await client.GetJsonAsync($"/rest/api/3/issue/{key}/comment", TestContext.Current.CancellationToken);
        var (_, v2) = await client.GetJsonAsync($"/rest/api/2/issue/{key}/comment", TestContext.Current.CancellationToken);

        var adf = v3.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("body")).ToList();
        var wiki = v2.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("body").GetString()).ToList();
        Assert.All(adf, body => Assert.Equal("doc", body.GetProperty("type").GetString()));
        Assert.Equal(wiki, adf.Select(body => string.Join("\n\n", body.GetProperty("content").EnumerateArray()
            .Select(p => p.GetProperty("content")[0].GetProperty("text").GetString()))));
        Assert.All(v2.GetProperty("comments").EnumerateArray(), c => Assert.True(c.GetProperty("author").TryGetProperty("name", out _)));
    }

    [Fact]
    public async Task MinusCreatedListsNewestFirst()
    {
        using var client = simulator.CreateClient();
        var (key, field) = await IssueWithCommentsAsync(client, atLeast: 2);

        var (_, newest) = await client.GetJsonAsync($"/rest/api/3/issue/{key}/comment?orderBy=-created", TestContext.Current.CancellationToken);
        var (wrong, _) = await client.GetJsonAsync($"/rest/api/3/issue/{key}/comment?orderBy=author", TestContext.Current.CancellationToken);

        Assert.Equal(field.GetProperty("comments").EnumerateArray().Select(c => c.Id()).Reverse(), newest.GetProperty("comments").EnumerateArray().Select(c => c.Id()));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Fact]
    public async Task RenderedBodyComesOnlyWhenExpanded()
    {
        using var client = simulator.CreateClient();
        var (key, _) = await IssueWithCommentsAsync(client, atLeast: 1);

        var (_, plain) = await client.GetJsonAsync($"/rest/api/3/issue/{key}/comment", TestContext.Current.CancellationToken);
        var (_, expanded) = await client.GetJsonAsync($"/rest/api/3/issue/{key}/comment?expand=renderedBody", TestContext.Current.CancellationToken);

        Assert.All(plain.GetProperty("comments").EnumerateArray(), c => Assert.False(c.TryGetProperty("renderedBody", out _)));
        Assert.All(expanded.GetProperty("comments").EnumerateArray(), c => Assert.StartsWith("<p>", c.GetProperty("renderedBody").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommentsAreInBothLanguagesAndInsideTheIssuesLifetime()
    {
        using var client = simulator.CreateClient();

        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DDELTA&fields=comment,created,updated", 1000, TestContext.Current.CancellationToken);

        var comments = issues.SelectMany(i => i.GetProperty("fields").GetProperty("comment").GetProperty("comments").EnumerateArray().Select(c => (Issue: i, Comment: c))).ToList();
        Assert.All(issues, i => Assert.InRange(i.GetProperty("fields").GetProperty("comment").GetProperty("total").GetInt32(), 0, 5));
        Assert.Contains(issues, i => i.GetProperty("fields").GetProperty("comment").GetProperty("total").GetInt32() == 0);
        Assert.Contains(comments, c => Cyrillic().IsMatch(c.Comment.GetProperty("body").GetString()!));
        Assert.Contains(comments, c => !Cyrillic().IsMatch(c.Comment.GetProperty("body").GetString()!));
        Assert.All(comments, c =>
        {
            var fields = c.Issue.GetProperty("fields");
            Assert.InRange(c.Comment.Created(), JiraResponses.ParseJiraDate(fields.GetProperty("created").GetString()!), JiraResponses.ParseJiraDate(fields.GetProperty("updated").GetString()!));
            Assert.InRange(JiraResponses.ParseJiraDate(c.Comment.GetProperty("updated").GetString()!), c.Comment.Created(), JiraResponses.ParseJiraDate(fields.GetProperty("updated").GetString()!));
        });
    }

    [Fact]
    public async Task UnknownIssueAnswers404()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/api/3/issue/BETA-99999/comment", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
    }

    /// <summary>The first DELTA issue (in key order) with that many comments, and its <c>comment</c> field.</summary>
    private static async Task<(string Key, JsonElement Field)> IssueWithCommentsAsync(HttpClient client, int atLeast)
    {
        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DDELTA%20ORDER%20BY%20key&fields=comment", 1000, TestContext.Current.CancellationToken);
        var issue = issues.First(i => i.GetProperty("fields").GetProperty("comment").GetProperty("total").GetInt32() >= atLeast);
        var (_, v3) = await client.GetJsonAsync($"/rest/api/3/issue/{issue.Key()}?fields=comment", TestContext.Current.CancellationToken);
        return (issue.Key(), v3.GetProperty("fields").GetProperty("comment"));
    }

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex Cyrillic();
}
