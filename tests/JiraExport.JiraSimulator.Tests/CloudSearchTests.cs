using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.Tests;

public sealed partial class CloudSearchTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string SearchPath = "/rest/api/3/search/jql";

    [Fact]
    public async Task PagingWithNextPageTokenVisitsEachAlphaIssueExactlyOnceInOrder()
    {
        using var client = simulator.CreateClient();
        const string jql = "project = ALPHA ORDER BY key DESC";
        var keys = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (response, body) = await client.PostJsonAsync(SearchPath, new { jql, fields = new[] { "key", "summary" }, maxResults = 100, nextPageToken = token }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            keys.AddRange(body.GetProperty("issues").EnumerateArray().Select(i => i.Key()));
            token = body.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            Assert.Equal(token is null, body.GetProperty("isLast").GetBoolean());
            pages++;
        }
        while (token is not null);

        Assert.Equal(20, pages);
        Assert.Equal(2000, keys.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 2000).Reverse().Select(n => $"ALPHA-{n}"), keys);
    }

    [Fact]
    public async Task LastPageHasIsLastTrueAndNoToken()
    {
        using var client = simulator.CreateClient();
        var (_, first) = await client.PostJsonAsync(SearchPath, new { jql = "project = DELTA", maxResults = 300 }, TestContext.Current.CancellationToken);
        var token = first.GetProperty("nextPageToken").GetString();

        var (response, last) = await client.PostJsonAsync(SearchPath, new { jql = "project = DELTA", maxResults = 300, nextPageToken = token }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, last.GetProperty("issues").GetArrayLength());
        Assert.True(last.GetProperty("isLast").GetBoolean());
        Assert.False(last.TryGetProperty("nextPageToken", out _));
    }

    [Fact]
    public async Task ResponseHasNoTotal()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = BETA" }, TestContext.Current.CancellationToken);

        Assert.False(body.TryGetProperty("total", out _));
        Assert.False(body.TryGetProperty("startAt", out _));
        Assert.Equal(50, body.GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task OnlyIdIsReturnedWhenNoFieldsAreRequested()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = GAMMA", maxResults = 5 }, TestContext.Current.CancellationToken);

        Assert.All(body.GetProperty("issues").EnumerateArray(), issue =>
            Assert.Equal(["id"], issue.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task OnlyRequestedFieldsAreReturned()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "key = ALPHA-1", fields = new[] { "summary", "status", "nosuchfield" } }, TestContext.Current.CancellationToken);

        var issue = Assert.Single(body.GetProperty("issues").EnumerateArray());
        Assert.Equal("ALPHA-1", issue.Key());
        Assert.EndsWith("/rest/api/3/issue/" + issue.GetProperty("id").GetString(), issue.GetProperty("self").GetString(), StringComparison.Ordinal);
        Assert.Equal(["summary", "status"], issue.GetProperty("fields").EnumerateObject().Select(p => p.Name));
        var category = issue.GetProperty("fields").GetProperty("status").GetProperty("statusCategory").GetProperty("key").GetString();
        Assert.Contains(category, new[] { "new", "indeterminate", "done" });
    }

    [Fact]
    public async Task AllFieldsRenderInJiraShapesWithAdfDescriptionAndJiraDates()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA ORDER BY key", fields = new[] { "*all" }, maxResults = 1 }, TestContext.Current.CancellationToken);

        var fields = body.GetProperty("issues")[0].GetProperty("fields");
        Assert.Equal("doc", fields.GetProperty("description").GetProperty("type").GetString());
        Assert.Equal(1, fields.GetProperty("description").GetProperty("version").GetInt32());
        Assert.Equal("paragraph", fields.GetProperty("description").GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Matches(JiraDatePattern(), fields.GetProperty("created").GetString());
        Assert.Matches(JiraDatePattern(), fields.GetProperty("updated").GetString());
        Assert.Equal("ALPHA", fields.GetProperty("project").GetProperty("key").GetString());
        Assert.Equal("Alpha Platform", fields.GetProperty("project").GetProperty("name").GetString());
        Assert.False(fields.GetProperty("issuetype").GetProperty("subtask").GetBoolean());
        Assert.Equal(JsonValueKind.Array, fields.GetProperty("labels").ValueKind);
        Assert.True(fields.GetProperty("assignee").ValueKind is JsonValueKind.Null or JsonValueKind.Object);
    }

    [Fact]
    public async Task GetWithCsvFieldsAnswersLikePost()
    {
        using var client = simulator.CreateClient();

        var (response, viaGet) = await client.GetJsonAsync($"{SearchPath}?jql={Uri.EscapeDataString("project = BETA ORDER BY created DESC")}&fields=summary,priority&maxResults=3", TestContext.Current.CancellationToken);
        var (_, viaPost) = await client.PostJsonAsync(SearchPath, new { jql = "project = BETA ORDER BY created DESC", fields = new[] { "summary", "priority" }, maxResults = 3 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(viaPost.GetRawText(), viaGet.GetRawText());
    }

    [Fact]
    public async Task MaxResultsIsCappedAtOneHundredWithFieldsAndFiveThousandForIdsOnly()
    {
        using var client = simulator.CreateClient();

        var (_, withFields) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA", fields = new[] { "summary" }, maxResults = 1000 }, TestContext.Current.CancellationToken);
        var (_, idsOnly) = await client.PostJsonAsync(SearchPath, new { jql = "project in (ALPHA, BETA)", fields = new[] { "id", "key" }, maxResults = 10000 }, TestContext.Current.CancellationToken);

        Assert.Equal(100, withFields.GetProperty("issues").GetArrayLength());
        Assert.Equal(3500, idsOnly.GetProperty("issues").GetArrayLength());
        Assert.True(idsOnly.GetProperty("isLast").GetBoolean());
    }

    [Fact]
    public async Task UnknownProjectAnswers400WithJiraErrorBody()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = XYZ" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["The value 'XYZ' does not exist for the field 'project'."], body.ErrorMessages());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("errors").ValueKind);
    }

    [Fact]
    public async Task SyntaxErrorAnswers400WithJqlPrefix()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync($"{SearchPath}?jql={Uri.EscapeDataString("project = ALPHA garbage")}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Error in the JQL Query:", Assert.Single(body.ErrorMessages()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ORDER BY key DESC")]
    public async Task UnboundedJqlAnswers400(string jql)
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.PostJsonAsync(SearchPath, new { jql }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."], body.ErrorMessages());
    }

    [Fact]
    public async Task TokenFromAnotherQueryAnswers400()
    {
        using var client = simulator.CreateClient();
        var (_, first) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA" }, TestContext.Current.CancellationToken);

        var (response, _) = await client.PostJsonAsync(SearchPath, new { jql = "project = BETA", nextPageToken = first.GetProperty("nextPageToken").GetString() }, TestContext.Current.CancellationToken);
        var (garbled, _) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA", nextPageToken = "not-a-token" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
    }

    [Fact]
    public async Task UnknownBodyPropertyAnswers400()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA", startAt = 50 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid request payload", Assert.Single(body.ErrorMessages()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproximateCountMatchesTheProjectSize()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.PostJsonAsync("/rest/api/3/search/approximate-count", new { jql = "project in (GAMMA, DELTA)" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1500, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task CloudV2TwinRendersDescriptionAsWikiMarkup()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync("/rest/api/2/search/jql", new { jql = "key = BETA-3", fields = new[] { "description" } }, TestContext.Current.CancellationToken);

        Assert.Equal(JsonValueKind.String, body.GetProperty("issues")[0].GetProperty("fields").GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task RemovedLegacyV3SearchAnswers410()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/api/3/search?jql=project%3DALPHA", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("/rest/api/3/search/jql", Assert.Single(body.ErrorMessages()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RussianSummariesArriveAsUtf8()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA ORDER BY key", fields = new[] { "summary" }, maxResults = 100 }, TestContext.Current.CancellationToken);

        var summaries = body.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("fields").GetProperty("summary").GetString()!).ToList();
        Assert.Contains(summaries, s => CyrillicPattern().IsMatch(s));
        Assert.Contains(summaries, s => !CyrillicPattern().IsMatch(s));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$")]
    private static partial Regex JiraDatePattern();

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex CyrillicPattern();
}
