using System.Globalization;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>
/// The later seed passes over every issue of the default site: they add sprints, epics, comments, work and links
/// without moving what the first passes made.
/// </summary>
public sealed class AgileSeedTests
{
    private static IReadOnlyList<SeedIssue> Issues => SeedStoreFixture.Store.Issues;

    [Fact]
    public void SeededHistoriesKeepTheirIdsAndOrderAmongTheSprintHistories()
    {
        Assert.All(Issues, issue =>
        {
            var own = issue.Histories.Where(h => h.Items[0].Field != "Sprint").Select(h => h.Id);
            Assert.Equal(Enumerable.Range(0, issue.Histories.Count(h => h.Items[0].Field != "Sprint")).Select(n => $"{issue.Id}{n:D4}"), own);
            Assert.Equal(issue.Histories.Select(h => h.Created).Order(), issue.Histories.Select(h => h.Created));
        });
    }

    [Fact]
    public void SprintHistoriesFallStrictlyInsideTheIssuesLifetime()
    {
        var sprintHistories = Issues.SelectMany(i => i.Histories.Where(h => h.Items[0].Field == "Sprint").Select(h => (Issue: i, History: h))).ToList();

        Assert.True(sprintHistories.Count > Issues.Count / 2, $"only {sprintHistories.Count} sprint histories");
        Assert.All(sprintHistories, e =>
        {
            Assert.True(e.History.Created > e.Issue.Created && e.History.Created < e.Issue.Updated, $"{e.Issue.Key} {e.History.Id}");
            Assert.True(int.Parse(e.History.Id[^4..], CultureInfo.InvariantCulture) >= AgileGenerator.FirstHistoryPosition);
        });
        Assert.All(Issues, i => Assert.Equal(i.Sprints.Count, i.Histories.Count(h => h.Items[0].Field == "Sprint")));
    }

    [Fact]
    public void SprintsAreConsecutiveSprintsOfTheProjectsBoard()
    {
        foreach (var issue in Issues.Where(i => i.Sprints.Count > 0))
        {
            var board = AgileCatalog.ScrumBoardOf(issue.Project);
            Assert.All(issue.Sprints, s => Assert.Same(board, s.Board));
            Assert.Equal(Enumerable.Range(issue.Sprints[0].Index, issue.Sprints.Count), issue.Sprints.Select(s => s.Index));
            Assert.All(issue.Sprints.SkipLast(1), s => Assert.Equal(SprintState.Closed, s.State));
            Assert.True(issue.Sprints[^1].State != SprintState.Future || issue.Status == JiraCatalog.ToDo, $"{issue.Key} is started but planned for the future");
        }

        var counts = Issues.GroupBy(i => i.Sprints.Count).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts[0], 400, 1500);
        Assert.True(counts.Where(c => c.Key >= 3).Sum(c => c.Value) > 200, "too few carry-overs");
    }

    [Fact]
    public void CommentsWorklogsAndAttachmentsFallInsideTheIssuesLifetime()
    {
        Assert.All(Issues, issue =>
        {
            Assert.InRange(issue.Comments.Count, 0, 5);
            Assert.All(issue.Comments, c => Assert.True(c.Created > issue.Created && c.Updated <= issue.Updated && c.Created <= c.Updated, $"{issue.Key} comment {c.Id}"));
            Assert.All(issue.Worklogs, w => Assert.True(w.Started > issue.Created && w.Created <= issue.Updated && w.Started <= w.Created, $"{issue.Key} worklog {w.Id}"));
            Assert.All(issue.Attachments, a => Assert.True(a.Created > issue.Created && a.Created < issue.Updated, $"{issue.Key} attachment {a.Id}"));
            Assert.Equal(issue.Worklogs.Select(w => w.Created).Order(), issue.Worklogs.Select(w => w.Created));
        });
        Assert.Equal(Issues.Count / ActivityGenerator.LongWorklogEvery, Issues.Count(i => i.Worklogs.Count > 20));
    }

    [Fact]
    public void LinksAreStoredOnBothIssuesUnderOneId()
    {
        var byId = Issues.ToDictionary(i => i.Id);
        var links = Issues.SelectMany(i => i.Links.Select(l => (Issue: i, Link: l))).ToList();

        Assert.Equal(links.Count, links.Select(l => (l.Issue.Id, l.Link.Id)).Distinct().Count());
        Assert.All(links, e =>
        {
            var mirror = Assert.Single(byId[e.Link.OtherIssueId].Links, l => l.Id == e.Link.Id);
            Assert.Equal((e.Issue.Id, e.Link.Type, !e.Link.OtherIsOutward), (mirror.OtherIssueId, mirror.Type, mirror.OtherIsOutward));
        });
    }

    [Fact]
    public void EpicsBelongToTheIssuesProject()
    {
        var withEpic = Issues.Where(i => i.Epic is not null).ToList();

        Assert.InRange(withEpic.Count, 2000, 3500);
        Assert.All(withEpic, i => Assert.Same(i.Project, i.Epic!.Project));
        Assert.Equal(AgileCatalog.Epics.Count, withEpic.Select(i => i.Epic!.Id).Distinct().Count());
        Assert.DoesNotContain(Issues, i => AgileCatalog.Epics.Any(e => e.Key == i.Key || e.Id.ToString(CultureInfo.InvariantCulture) == i.Id));
    }
}
