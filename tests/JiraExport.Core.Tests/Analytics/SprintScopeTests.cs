using System.Xml.Linq;
using JiraExport.Core.Analytics;
using Xunit;

namespace JiraExport.Core.Tests.Analytics;

/// <summary>The edges of sprint membership that the November fixtures of the integration tests do not reach.</summary>
public sealed class SprintScopeTests
{
    private const string ToDo = "1";
    private const string Done = "5";
    private static readonly HashSet<string> Finished = [Done];
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Close = Start.AddDays(11);
    private static readonly SprintFacts Hotfix = new(40, 7, "Sprint 4, hotfix", "closed", Start, Close, Close, null);

    [Fact]
    public void ASprintNameWithACommaIsMatchedAsAWholeName()
    {
        // Jira joins the names with commas: "Sprint 4, hotfix" beside "Sprint 5" is one name and then another.
        var moved = Issue("A-1", null, [], new SprintFieldChange(Start.AddDays(-1), "", "Sprint 4, hotfix"), new SprintFieldChange(Start.AddDays(3), "Sprint 4, hotfix", "Sprint 5"));
        var other = Issue("A-2", null, [], new SprintFieldChange(Start.AddDays(-1), "", "Sprint 4"));

        var report = SprintScope.Build(Hotfix, [moved, other], Finished, WorkCalendar.Default, Close.AddDays(1))!;

        var issue = Assert.Single(report.Issues);
        Assert.Equal(("A-1", SprintOutcome.Removed, true), (issue.Key, issue.Outcome, issue.Committed));
    }

    [Fact]
    public void AFutureSprintWhosePlannedStartHasPassedHasNoReport()
    {
        var late = Hotfix with { State = "future", CompleteDate = null };

        Assert.Null(SprintScope.Build(late, [Issue("A-1", null, [])], Finished, WorkCalendar.Default, Close.AddDays(30)));
    }

    [Fact]
    public void AnIssueCreatedAfterItsFirstLoggedChangeWasInTheSprintFromTheFirst()
    {
        // An import: created (as Jira says) after its first logged Sprint change, which moved it out of the sprint mid-way.
        var imported = Issue("A-1", Start.AddDays(5), [], new SprintFieldChange(Start.AddDays(2), "Sprint 4, hotfix", ""));

        var report = SprintScope.Build(Hotfix, [imported], Finished, WorkCalendar.Default, Close.AddDays(1))!;

        Assert.Equal((true, SprintOutcome.Removed), (report.Issues[0].Committed, report.Issues[0].Outcome));
    }

    [Fact]
    public void AnIssueDoneBeforeTheStartAndCommittedIsCompletedOutsideTheSprint()
    {
        var early = Issue("A-1", Start.AddDays(-9), [new StatusChange(Start.AddDays(-2), ToDo, Done)], new SprintFieldChange(Start.AddDays(-1), "", "Sprint 4, hotfix"));
        var onTime = Issue("A-2", Start.AddDays(-9), [new StatusChange(Start.AddDays(2), ToDo, Done)], new SprintFieldChange(Start.AddDays(-1), "", "Sprint 4, hotfix"));

        var report = SprintScope.Build(Hotfix, [early, onTime], Finished, WorkCalendar.Default, Close.AddDays(1))!;

        Assert.Equal([SprintOutcome.CompletedOutside, SprintOutcome.Completed], report.Issues.Select(i => i.Outcome));
        Assert.Equal((2, 1, 1), (report.Committed, report.Completed, report.CompletedOutside));
    }

    [Fact]
    public void NamesFromJiraThatXmlCannotHoldDoNotBreakTheSvg()
    {
        var chart = new FlowChart("burnup", "Burnup: \u0001Sprint\u001b[31m \ud800 \U0001F680", "rule", "issues",
            [new ChartSeries("Scope \u0007", "line", [new(new DateOnly(2026, 11, 2), null, 3), new(new DateOnly(2026, 11, 3), null, 4)])], []);

        var svg = XDocument.Parse(SvgChart.Render(chart));

        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), e => e.Value.Contains("Sprint[31m", StringComparison.Ordinal) && e.Value.Contains("\U0001F680", StringComparison.Ordinal));
    }

    private static SprintIssueHistory Issue(string key, DateTimeOffset? created, StatusChange[] statuses, params SprintFieldChange[] changes) =>
        new(long.Parse(key[2..], System.Globalization.CultureInfo.InvariantCulture), key, key, "Story", created, statuses.Length == 0 ? ToDo : statuses[^1].ToStatusId,
            new HashSet<long>(), changes, statuses);
}
