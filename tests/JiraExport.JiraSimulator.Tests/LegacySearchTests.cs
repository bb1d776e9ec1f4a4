using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

public sealed class LegacySearchTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string SearchPath = "/rest/api/2/search";

    [Fact]
    public async Task StartAtPagingReportsTotalAndVisitsEveryBetaIssueOnce()
    {
        using var client = simulator.CreateClient(SimulatorFixture.Basic(SimulatorFixture.Email, SimulatorFixture.ApiToken));
        var keys = new List<string>();
        var startAt = 0;
        while (true)
        {
            var (response, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = BETA ORDER BY key", startAt, maxResults = 400, fields = new[] { "summary" } }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1500, body.GetProperty("total").GetInt32());
            Assert.Equal(startAt, body.GetProperty("startAt").GetInt32());
            Assert.Equal(400, body.GetProperty("maxResults").GetInt32());
            var issues = body.GetProperty("issues").EnumerateArray().Select(i => i.Key()).ToList();
            keys.AddRange(issues);
            startAt += issues.Count;
            if (issues.Count == 0 || startAt >= 1500)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(1, 1500).Select(n => $"BETA-{n}"), keys);
    }

    [Fact]
    public async Task DefaultsAreFiftyNavigableFieldsWithWikiDescription()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync($"{SearchPath}?jql=project%3DGAMMA", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("schema,names", body.GetProperty("expand").GetString());
        Assert.Equal(50, body.GetProperty("maxResults").GetInt32());
        Assert.Equal(1000, body.GetProperty("total").GetInt32());
        var fields = body.GetProperty("issues")[0].GetProperty("fields");
        Assert.Equal(JsonValueKind.String, fields.GetProperty("description").ValueKind);
        foreach (var name in new[] { "summary", "status", "priority", "assignee", "reporter", "created", "updated", "issuetype", "project", "labels" })
        {
            Assert.True(fields.TryGetProperty(name, out _), $"missing {name}");
        }
    }

    [Fact]
    public async Task UsersCarryDataCenterNameAndKey()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "project = ALPHA", fields = new[] { "reporter" }, maxResults = 1 }, TestContext.Current.CancellationToken);

        var reporter = body.GetProperty("issues")[0].GetProperty("fields").GetProperty("reporter");
        Assert.False(string.IsNullOrEmpty(reporter.GetProperty("name").GetString()));
        Assert.StartsWith("JIRAUSER", reporter.GetProperty("key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxResultsIsCappedAtOneThousand()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.PostJsonAsync(SearchPath, new { jql = "", maxResults = 5000, fields = new[] { "key" } }, TestContext.Current.CancellationToken);

        Assert.Equal(1000, body.GetProperty("maxResults").GetInt32());
        Assert.Equal(1000, body.GetProperty("issues").GetArrayLength());
        Assert.Equal(5000, body.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task MaxResultsZeroCountsWithoutIssues()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.GetJsonAsync($"{SearchPath}?jql=project%3DDELTA&maxResults=0", TestContext.Current.CancellationToken);

        Assert.Equal(500, body.GetProperty("total").GetInt32());
        Assert.Equal(0, body.GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task InvalidJqlAnswers400()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.PostJsonAsync(SearchPath, new { jql = "project in (ALPHA" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Error in the JQL Query:", Assert.Single(body.ErrorMessages()), StringComparison.Ordinal);
    }
}
