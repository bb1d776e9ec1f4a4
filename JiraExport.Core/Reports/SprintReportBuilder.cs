using System.Globalization;
using JiraExport.Core.Analytics;

namespace JiraExport.Core.Reports;

/// <summary>
/// Draws a sprint report for a template from the report's issues: <see cref="SprintScope"/> places each by its Sprint
/// field's history and its status history (the same rules the analytics API states), here over the issues' models, with
/// status names standing for status ids.
/// </summary>
public static class SprintReportBuilder
{
    public const int ChartWidth = 600;
    public const int ChartHeight = 200;

    /// <param name="finishedStatuses">The names of the statuses that count as done.</param>
    public static SprintModel Build(
        SprintFacts sprint, IReadOnlyList<(IssueModel Issue, IReadOnlySet<long> SprintsNow)> issues, IReadOnlySet<string> finishedStatuses,
        WorkCalendar calendar, DateTimeOffset now)
    {
        var models = issues.Select((i, index) => (Index: (long)index, i.Issue)).ToDictionary(i => i.Index, i => i.Issue);
        var histories = issues.Select((i, index) => History(index, i.Issue, i.SprintsNow)).ToList();
        var report = SprintScope.Build(sprint, histories, finishedStatuses, calendar, now);
        if (report is null)
        {
            // Not started: nothing committed yet, and what is in it now not done.
            var members = issues.Where(i => i.SprintsNow.Contains(sprint.SprintId)).Select(i => i.Issue).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
            return new SprintModel(sprint.Name, sprint.State, sprint.StartDate, sprint.EndDate, sprint.CompleteDate, sprint.Goal, [], [], [], [], members, [],
                Burndown([], 0));
        }

        List<IssueModel> Of(IEnumerable<SprintReportIssue> placed) => [.. placed.Select(p => models[p.IssueId])];
        return new SprintModel(
            sprint.Name, sprint.State, sprint.StartDate, sprint.EndDate, sprint.CompleteDate, sprint.Goal,
            Of(report.Issues.Where(i => i.Committed)), Of(report.Issues.Where(i => i.AddedAfterStart)), Of(report.With(SprintOutcome.Removed)),
            Of(report.With(SprintOutcome.Completed)), Of(report.With(SprintOutcome.NotCompleted)), Of(report.With(SprintOutcome.CompletedOutside)),
            Burndown(report.Days, report.Committed));
    }

    private static SprintIssueHistory History(long index, IssueModel issue, IReadOnlySet<long> sprintsNow) => new(
        index, issue.Key, issue.Summary, issue.IssueType, issue.Created, issue.Status, sprintsNow,
        [.. issue.Changelog.SelectMany(c => c.Items.Where(i => i.Field.Equals("Sprint", StringComparison.OrdinalIgnoreCase)).Select(i => new SprintFieldChange(c.Created, i.From, i.To)))],
        [.. issue.Transitions.Select(t => new StatusChange(t.At, t.From, t.To))]);

    private static BurndownModel Burndown(IReadOnlyList<SprintDay> days, int committed)
    {
        var max = Math.Max(1, Math.Max(committed, days.Count == 0 ? 0 : days.Max(d => d.Remaining)));
        double X(int index) => days.Count <= 1 ? 0 : Math.Round((double)index * ChartWidth / (days.Count - 1), 1);
        double Y(double remaining) => Math.Round(ChartHeight - (remaining * ChartHeight / max), 1);
        string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x},{y}");

        var actual = string.Join(' ', days.Select((d, i) => Point(X(i), Y(d.Remaining))));
        var ideal = days.Count == 0 ? string.Empty : $"{Point(0, Y(committed))} {Point(X(days.Count - 1), Y(0))}";
        return new BurndownModel(ChartWidth, ChartHeight, max, actual, ideal,
            days.Select((d, i) => new BurndownDayModel(new DateTimeOffset(d.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), d.Remaining, X(i))).ToList());
    }
}
