using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>The <c>issuelinks</c> field: links between seeded issues, the same link seen from both ends.</summary>
public sealed class IssueLinkTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task EveryLinkAppearsOnBothIssuesFacingOppositeWays()
    {
        using var client = simulator.CreateClient();
        var issues = (await client.ReadIssuePagesAsync("/rest/api/2/search?jql=&fields=issuelinks", 1000, TestContext.Current.CancellationToken))
            .ToDictionary(i => i.Id(), i => i.GetProperty("fields").GetProperty("issuelinks").EnumerateArray().ToList(), StringComparer.Ordinal);

        var links = issues.SelectMany(i => i.Value.Select(l => (IssueId: i.Key, Link: l))).ToList();
        Assert.InRange(links.Count, 800, 2400);
        foreach (var (issueId, link) in links)
        {
            var outward = link.TryGetProperty("outwardIssue", out var other);
            if (!outward)
            {
                other = link.GetProperty("inwardIssue");
            }

            var mirror = Assert.Single(issues[other.Id()], l => l.Id() == link.Id());
            Assert.Equal(link.GetProperty("type").GetRawText(), mirror.GetProperty("type").GetRawText());
            Assert.Equal(issueId, mirror.GetProperty(outward ? "inwardIssue" : "outwardIssue").Id());
            Assert.False(mirror.TryGetProperty(outward ? "outwardIssue" : "inwardIssue", out _));
        }

        Assert.Contains(links, l => l.Link.GetProperty("type").GetProperty("name").GetString() == "Blocks" && l.Link.TryGetProperty("inwardIssue", out _));
        Assert.Contains(links, l => l.Link.GetProperty("type").GetProperty("name").GetString() == "Duplicate");
    }

    [Fact]
    public async Task LinkedIssueCarriesTheOtherIssuesCurrentFields()
    {
        using var client = simulator.CreateClient();
        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DBETA&fields=issuelinks", 1000, TestContext.Current.CancellationToken);
        var linked = issues.SelectMany(i => i.GetProperty("fields").GetProperty("issuelinks").EnumerateArray())
            .Select(l => l.TryGetProperty("outwardIssue", out var o) ? o : l.GetProperty("inwardIssue"))
            .Take(30).ToList();

        var (_, fetched) = await client.PostJsonAsync("/rest/api/2/issue/bulkfetch",
            new { issueIdsOrKeys = linked.Select(l => l.Key()).Distinct(), fields = new[] { "summary", "status", "priority", "issuetype" } }, TestContext.Current.CancellationToken);
        var own = fetched.GetProperty("issues").EnumerateArray().ToDictionary(i => i.Key(), i => i.GetProperty("fields"));

        Assert.NotEmpty(linked);
        foreach (var embedded in linked)
        {
            var fields = own[embedded.Key()];
            Assert.Equal(fields.GetProperty("summary").GetString(), embedded.GetProperty("fields").GetProperty("summary").GetString());
            foreach (var name in new[] { "status", "priority", "issuetype" })
            {
                Assert.Equal(fields.GetProperty(name).Id(), embedded.GetProperty("fields").GetProperty(name).Id());
            }

            Assert.EndsWith($"/rest/api/2/issue/{embedded.Id()}", embedded.GetProperty("self").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LinkTypesAreJirasDefaults()
    {
        using var client = simulator.CreateClient();
        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DALPHA&fields=issuelinks", 1000, TestContext.Current.CancellationToken);

        var types = issues.SelectMany(i => i.GetProperty("fields").GetProperty("issuelinks").EnumerateArray())
            .Select(l => l.GetProperty("type")).DistinctBy(t => t.Id()).ToDictionary(t => t.GetProperty("name").GetString()!, t => t);

        Assert.Equal(["Blocks", "Cloners", "Duplicate", "Relates"], types.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("is blocked by", "blocks"), (types["Blocks"].GetProperty("inward").GetString(), types["Blocks"].GetProperty("outward").GetString()));
        Assert.Equal(JsonValueKind.String, types["Relates"].GetProperty("self").ValueKind);
    }
}
