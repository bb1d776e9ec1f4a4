using System.Net;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>A simulator started with <c>IssueCount = 10000</c>.</summary>
public sealed class LargeSiteSimulatorFixture() : SimulatorFixture(o => o.IssueCount = IssueCountTests.LargeSite);

/// <summary><see cref="JiraSimulatorOptions.IssueCount"/> scales the seed and keeps the projects' proportions.</summary>
public sealed class IssueCountTests(LargeSiteSimulatorFixture simulator) : IClassFixture<LargeSiteSimulatorFixture>
{
    public const int LargeSite = 10_000;

    [Fact]
    public void GeneratedSiteHasUniqueKeysAndIdsAndTheDefaultProportions()
    {
        var issues = SeedGenerator.Generate(new JiraSimulatorOptions().Seed, LargeSite);

        Assert.Equal(LargeSite, issues.Count);
        Assert.Equal(LargeSite, issues.Select(i => i.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Enumerable.Range(SeedGenerator.FirstIssueId, LargeSite).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), issues.Select(i => i.Id));
        Assert.Equal(
            new Dictionary<string, int> { ["ALPHA"] = 4000, ["BETA"] = 3000, ["GAMMA"] = 2000, ["DELTA"] = 1000 },
            issues.GroupBy(i => i.Project.Key).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(issues.GroupBy(i => i.Project.Key), project => Assert.Equal(Enumerable.Range(1, project.Count()), project.Select(i => i.Number)));
    }

    [Theory]
    [InlineData(1, new[] { 0, 0, 0, 1 })]
    [InlineData(7, new[] { 2, 2, 1, 2 })]
    [InlineData(12_345, new[] { 4938, 3703, 2469, 1235 })]
    public void OddSizesGiveTheLastProjectTheRounding(int count, int[] sizes)
    {
        var issues = SeedGenerator.Generate(new JiraSimulatorOptions().Seed, count);

        Assert.Equal(count, issues.Count);
        Assert.Equal(sizes, JiraCatalog.Projects.Select(p => issues.Count(i => i.Project == p)));
    }

    [Fact]
    public async Task StartedSiteServesTenThousandIssues()
    {
        using var client = simulator.CreateClient();

        var (response, all) = await client.PostJsonAsync("/rest/api/2/search", new { jql = "", maxResults = 0 }, TestContext.Current.CancellationToken);
        var (_, alpha) = await client.PostJsonAsync("/rest/api/3/search/approximate-count", new { jql = "project = ALPHA" }, TestContext.Current.CancellationToken);
        var (_, last) = await client.GetJsonAsync("/rest/api/3/issue/DELTA-1000?fields=summary", TestContext.Current.CancellationToken);
        var (beyond, _) = await client.GetJsonAsync("/rest/api/3/issue/DELTA-1001?fields=summary", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LargeSite, all.GetProperty("total").GetInt32());
        Assert.Equal(4000, alpha.GetProperty("count").GetInt32());
        Assert.Equal("DELTA-1000", last.Key());
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    [Fact]
    public async Task LongHistoriesScaleWithTheSite()
    {
        using var client = simulator.CreateClient();

        // Ids 10007, 10257, … 19757: one long history in every 250 issues.
        var (_, page) = await client.GetJsonAsync("/rest/api/3/issue/19757/changelog", TestContext.Current.CancellationToken);

        Assert.True(page.GetProperty("total").GetInt32() > 130);
        Assert.False(page.GetProperty("isLast").GetBoolean());
    }
}
