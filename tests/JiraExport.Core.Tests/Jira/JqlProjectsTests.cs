using JiraExport.Core.Jira;

namespace JiraExport.Core.Tests.Jira;

public sealed class JqlProjectsTests
{
    [Theory]
    [InlineData("project = DEV ORDER BY key", new[] { "DEV" })]
    [InlineData("project=dev AND status = Done", new[] { "DEV" })]
    [InlineData("""Project IN (DEV, "OPS", 'web_2') OR project = DEV""", new[] { "DEV", "OPS", "WEB_2" })]
    [InlineData("(project = A1 AND type = Bug) OR (project in (B2))", new[] { "A1", "B2" })]
    public void TheProjectsAQueryNamesAreFound(string jql, string[] expected) =>
        Assert.Equal(expected, JqlProjects.Named(jql));

    [Theory]
    [InlineData("")]
    [InlineData("key = DEV-1")]
    [InlineData("project != DEV")]
    [InlineData("project not in (DEV, OPS)")]
    [InlineData("parentProject = DEV")]
    [InlineData("project = 10000")]
    [InlineData("project in projectsLeadByUser()")]
    [InlineData("text ~ \"project = HR\" AND summary ~ 'project in (OPS)'")]
    public void AQueryThatNamesNoProjectNamesNone(string jql) => Assert.Empty(JqlProjects.Named(jql));

    [Fact]
    public void AQueryNamingMoreThanTwentyProjectsNamesNone() =>
        Assert.Empty(JqlProjects.Named($"project in ({string.Join(", ", Enumerable.Range(1, 21).Select(i => $"P{i}"))})"));
}
