using System.Text.RegularExpressions;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

public sealed partial class SeedTests
{
    private static IReadOnlyList<SeedIssue> Issues => SeedStoreFixture.Store.Issues;

    [Fact]
    public void SameSeedGivesTheSameIssues()
    {
        var again = SeedGenerator.Generate(new JiraSimulatorOptions().Seed);

        Assert.Equal(Issues.Take(50).Select(i => (i.Key, i.Summary)), again.Take(50).Select(i => (i.Key, i.Summary)));
    }

    [Fact]
    public void DifferentSeedGivesDifferentSummaries()
    {
        var other = SeedGenerator.Generate(42);

        Assert.NotEqual(Issues.Take(20).Select(i => i.Summary), other.Take(20).Select(i => i.Summary));
    }

    [Fact]
    public void ProjectsHaveTheirFixedSizes()
    {
        var sizes = Issues.GroupBy(i => i.Project.Key).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(5000, Issues.Count);
        Assert.Equal(new Dictionary<string, int> { ["ALPHA"] = 2000, ["BETA"] = 1500, ["GAMMA"] = 1000, ["DELTA"] = 500 }, sizes);
    }

    [Fact]
    public void IdsAreUniqueNumbersFromTenThousand()
    {
        Assert.Equal(Enumerable.Range(10000, 5000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), Issues.Select(i => i.Id));
    }

    [Fact]
    public void KeysNumberEachProjectFromOne()
    {
        foreach (var project in Issues.GroupBy(i => i.Project.Key))
        {
            Assert.Equal(Enumerable.Range(1, project.Count()), project.Select(i => i.Number));
        }
    }

    [Fact]
    public void AboutHalfTheSummariesAreRussian()
    {
        var russian = Issues.Count(i => CyrillicPattern().IsMatch(i.Summary));

        Assert.InRange(russian, 2200, 2800);
        Assert.Contains(Issues, i => i.Summary.StartsWith("Исправить ошибку авторизации", StringComparison.Ordinal));
    }

    [Fact]
    public void AFewSummariesCarryEmoji()
    {
        var withEmoji = Issues.Count(i => WordLists.Emoji.Any(e => i.Summary.Contains(e, StringComparison.Ordinal)));

        Assert.InRange(withEmoji, 150, 350);
    }

    [Fact]
    public void AboutOneInSevenIssuesIsUnassigned()
    {
        Assert.InRange(Issues.Count(i => i.Assignee is null), 550, 950);
        Assert.Contains(Issues, i => i.Assignee?.DisplayName == "Анна Смирнова");
    }

    [Fact]
    public void DatesFallIn2024To2026AndUpdatedIsNeverBeforeCreated()
    {
        Assert.All(Issues, i =>
        {
            Assert.InRange(i.Created.Year, 2024, 2026);
            Assert.True(i.Updated >= i.Created, $"{i.Key} updated before it was created");
        });
    }

    [Fact]
    public void EveryStatusAndPriorityIsUsed()
    {
        Assert.Equal(JiraCatalog.Statuses.Count, Issues.Select(i => i.Status).Distinct().Count());
        Assert.Equal(JiraCatalog.Priorities.Count, Issues.Select(i => i.Priority).Distinct().Count());
    }

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex CyrillicPattern();
}
