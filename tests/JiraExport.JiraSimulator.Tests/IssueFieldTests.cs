using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>The fields added for agile reports, as <c>/field</c> describes them and as <c>*navigable</c> and <c>*all</c> select them.</summary>
public sealed class IssueFieldTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private static readonly string[] NotNavigable = ["timetracking", "comment", "worklog", "attachment"];

    [Fact]
    public async Task FieldListDescribesSprintAndTheActivityFields()
    {
        using var client = simulator.CreateClient();

        var (_, body) = await client.GetJsonAsync("/rest/api/3/field", TestContext.Current.CancellationToken);

        var fields = body.EnumerateArray().ToDictionary(f => f.Id(), StringComparer.Ordinal);
        var sprint = fields["customfield_10020"];
        Assert.Equal("Sprint", sprint.GetProperty("name").GetString());
        Assert.Equal("""{"type":"array","items":"json","custom":"com.pyxis.greenhopper.jira:gh-sprint","customId":10020}""", sprint.GetProperty("schema").GetRawText());
        Assert.Contains("Sprint", sprint.GetProperty("clauseNames").EnumerateArray().Select(c => c.GetString()));
        Assert.All(NotNavigable, name => Assert.False(fields[name].GetProperty("navigable").GetBoolean(), name));
        Assert.True(fields["issuelinks"].GetProperty("navigable").GetBoolean());
        Assert.Equal("comments-page", fields["comment"].GetProperty("schema").GetProperty("type").GetString());
        Assert.False(fields["parent"].TryGetProperty("schema", out _));
    }

    [Fact]
    public async Task NavigableSelectionsLeaveOutCommentsWorklogsAndAttachments()
    {
        using var client = simulator.CreateClient();

        var (_, search) = await client.GetJsonAsync("/rest/api/2/search?jql=key%3DALPHA-82", TestContext.Current.CancellationToken);
        var (_, navigable) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql = "key = ALPHA-82", fields = new[] { "*navigable" } }, TestContext.Current.CancellationToken);
        var (_, bulk) = await client.PostJsonAsync("/rest/api/3/issue/bulkfetch", new { issueIdsOrKeys = new[] { "ALPHA-82" } }, TestContext.Current.CancellationToken);
        var (_, all) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql = "key = ALPHA-82", fields = new[] { "*all", "-comment" } }, TestContext.Current.CancellationToken);
        var (_, issue) = await client.GetJsonAsync("/rest/api/3/issue/ALPHA-82", TestContext.Current.CancellationToken);

        foreach (var body in new[] { search, navigable, bulk })
        {
            var names = Names(body.GetProperty("issues")[0]);
            Assert.Contains("customfield_10020", names);
            Assert.Contains("issuelinks", names);
            Assert.Empty(names.Intersect(NotNavigable));
        }

        Assert.Equal(["attachment", "timetracking", "worklog"], Names(all.GetProperty("issues")[0]).Intersect(NotNavigable).Order(StringComparer.Ordinal));
        Assert.Equal(NotNavigable.Order(StringComparer.Ordinal), Names(issue).Intersect(NotNavigable).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AttachmentsAreMetadataPointingAtTheirContent()
    {
        using var client = simulator.CreateClient();

        var (_, v3) = await client.GetJsonAsync("/rest/api/3/issue/ALPHA-82?fields=attachment,created,updated", TestContext.Current.CancellationToken);
        var (_, v2) = await client.GetJsonAsync("/rest/api/2/issue/ALPHA-82?fields=attachment", TestContext.Current.CancellationToken);

        var cloud = v3.GetProperty("fields").GetProperty("attachment").EnumerateArray().ToList();
        var dataCenter = v2.GetProperty("fields").GetProperty("attachment").EnumerateArray().ToList();
        Assert.NotEmpty(cloud);
        Assert.Equal(cloud.Select(a => a.Id()), dataCenter.Select(a => a.Id()));
        var (created, updated) = (JiraResponses.ParseJiraDate(v3.GetProperty("fields").GetProperty("created").GetString()!), JiraResponses.ParseJiraDate(v3.GetProperty("fields").GetProperty("updated").GetString()!));
        Assert.All(cloud, a =>
        {
            Assert.EndsWith($"/rest/api/3/attachment/content/{a.Id()}", a.GetProperty("content").GetString(), StringComparison.Ordinal);
            Assert.True(a.GetProperty("size").GetInt64() > 0);
            Assert.Contains('/', a.GetProperty("mimeType").GetString()!);
            Assert.InRange(a.Created(), created, updated);
        });
        Assert.All(dataCenter, a => Assert.Contains($"/secure/attachment/{a.Id()}/", a.GetProperty("content").GetString(), StringComparison.Ordinal));

        var (content, _) = await client.GetJsonAsync(new Uri(cloud[0].GetProperty("content").GetString()!).PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, content.StatusCode);
    }

    private static List<string> Names(JsonElement issue) => [.. issue.GetProperty("fields").EnumerateObject().Select(p => p.Name)];
}
