using JiraExport.JiraSimulator.Jql;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

public sealed class JqlCompilerTests
{
    private static IReadOnlyList<SeedIssue> Run(string jql) =>
        SeedStoreFixture.Store.Search(JqlCompiler.Compile(JqlParser.Parse(jql), SeedStoreFixture.Store));

    [Fact]
    public void ProjectEqualsMatchesEveryIssueOfThatProject()
    {
        var issues = Run("project = ALPHA");

        Assert.Equal(2000, issues.Count);
        Assert.All(issues, i => Assert.Equal("ALPHA", i.Project.Key));
    }

    [Fact]
    public void ResolvedIsResolutiondateAndMatchesOnlyDoneIssuesResolvedInTheRange()
    {
        var since = SeedStoreFixture.Store.Search(JqlCompiler.Compile(JqlParser.Parse("project = DELTA AND status = Done"), SeedStoreFixture.Store))
            .Select(i => i.Resolved!.Value).Order().ElementAt(100);
        var jql = $"project = DELTA AND resolved >= \"{since.UtcDateTime:yyyy-MM-dd HH:mm}\" ORDER BY resolved ASC";

        var resolved = Run(jql);

        Assert.NotEmpty(resolved);
        Assert.All(resolved, i => Assert.Equal(("Done", true), (i.Status.Name, i.Resolved >= since.AddMinutes(-1))));
        Assert.Equal(resolved.Select(i => i.Resolved).Order(), resolved.Select(i => i.Resolved));
        Assert.Equal(resolved.Select(i => i.Key), Run(jql.Replace("resolved", "resolutiondate", StringComparison.Ordinal)).Select(i => i.Key));
        Assert.Empty(Run("project = DELTA AND status != Done AND resolved >= \"2000-01-01\""));
    }

    [Fact]
    public void ProjectInMatchesEveryListedProject()
    {
        Assert.Equal(2500, Run("project in (GAMMA, beta)").Count);
    }

    [Fact]
    public void ProjectMayBeNamedByKeyIdOrNameInAnyCase()
    {
        Assert.Equal(500, Run("project = delta").Count);
        Assert.Equal(500, Run("project = 10003").Count);
        Assert.Equal(500, Run("project = \"delta infrastructure\"").Count);
    }

    [Fact]
    public void StatusAndProjectCombineWithAnd()
    {
        var issues = Run("project = BETA AND status = \"in progress\"");

        Assert.NotEmpty(issues);
        Assert.All(issues, i => Assert.Equal(("BETA", "In Progress"), (i.Project.Key, i.Status.Name)));
    }

    [Fact]
    public void NotEqualsExcludesMatches()
    {
        var issues = Run("project = GAMMA AND status != Done");

        Assert.DoesNotContain(issues, i => i.Status.Name == "Done");
        Assert.Equal(1000, issues.Count + Run("project = GAMMA AND status = Done").Count);
    }

    [Fact]
    public void KeyEqualsFindsOneIssueCaseInsensitively()
    {
        var issue = Assert.Single(Run("key = alpha-7"));

        Assert.Equal("ALPHA-7", issue.Key);
    }

    [Fact]
    public void KeysSortByProjectThenNumber()
    {
        var keys = Run("key in (ALPHA-10, BETA-1, ALPHA-2, ALPHA-1) ORDER BY key").Select(i => i.Key);

        Assert.Equal(["ALPHA-1", "ALPHA-2", "ALPHA-10", "BETA-1"], keys);
    }

    [Fact]
    public void OrderByCreatedDescendingPutsNewestFirst()
    {
        var issues = Run("project = DELTA ORDER BY created DESC");

        Assert.Equal(issues.OrderByDescending(i => i.Created).Select(i => i.Key), issues.Select(i => i.Key));
    }

    [Fact]
    public void SecondOrderFieldBreaksTies()
    {
        var issues = Run("project = GAMMA ORDER BY status ASC, updated DESC");

        for (var i = 1; i < issues.Count; i++)
        {
            if (issues[i - 1].Status == issues[i].Status)
            {
                Assert.True(issues[i - 1].Updated >= issues[i].Updated);
            }
        }
    }

    [Fact]
    public void UpdatedAfterDateFiltersByDate()
    {
        var issues = Run("project = ALPHA AND updated >= \"2026-01-01\"");

        Assert.NotEmpty(issues);
        Assert.All(issues, i => Assert.True(i.Updated >= new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(3))));
    }

    [Fact]
    public void UnknownProjectIsRejectedWithJirasMessage()
    {
        var ex = Assert.Throws<JqlException>(() => Run("project = XYZ"));

        Assert.Equal("The value 'XYZ' does not exist for the field 'project'.", ex.Message);
    }

    [Fact]
    public void UnknownStatusIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => Run("status = Frozen"));

        Assert.Equal("The value 'Frozen' does not exist for the field 'status'.", ex.Message);
    }

    [Fact]
    public void UnknownFieldIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => Run("colour = red"));

        Assert.Equal("Field 'colour' does not exist or you do not have permission to view it.", ex.Message);
    }

    [Fact]
    public void UnknownOrderFieldIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => Run("project = ALPHA ORDER BY colour"));

        Assert.Equal("Field 'colour' does not exist or you do not have permission to view it.", ex.Message);
    }

    [Fact]
    public void MissingIssueKeyIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => Run("key = ALPHA-99999"));

        Assert.Equal("An issue with key 'ALPHA-99999' does not exist for field 'key'.", ex.Message);
    }

    [Fact]
    public void UnsupportedOperatorIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => Run("project > ALPHA"));

        Assert.Equal("The operator '>' is not supported by the 'project' field.", ex.Message);
    }
}
