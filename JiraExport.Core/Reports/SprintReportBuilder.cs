using System.Globalization;

namespace JiraExport.Core.Reports;

/// <summary>A sprint as synced, before the report is drawn.</summary>
public sealed record SprintFacts(string Name, string State, DateTimeOffset? StartDate, DateTimeOffset? EndDate, DateTimeOffset? CompleteDate, string? Goal);

/// <summary>
/// Builds a sprint report from the sprint and the issues that have been in it: the Sprint field's changelog (Jira logs
/// the sprint names before and after) says when each issue joined or left, the issue's status when it was done.
/// </summary>
public static class SprintReportBuilder
{
    public const int ChartWidth = 600;
    public const int ChartHeight = 200;
    private const int MaxChartDays = 120;

    public static SprintModel Build(SprintFacts sprint, IReadOnlyList<(IssueModel Issue, bool MemberNow)> issues, DateTimeOffset now)
    {
        var start = sprint.StartDate ?? now;
        var end = sprint.CompleteDate ?? sprint.EndDate ?? now;
        if (end < start)
        {
            end = start;
        }

        var timelines = issues.Select(i => (i.Issue, Timeline: Timeline(sprint.Name, i.Issue, i.MemberNow), DoneAt: DoneAt(i.Issue))).ToList();
        var committed = timelines.Where(t => t.Timeline.InAt(start)).ToList();
        var added = timelines.Where(t => !t.Timeline.InAt(start) && t.Timeline.JoinedBetween(start, end)).ToList();
        var atEnd = timelines.Where(t => t.Timeline.InAt(end)).ToList();
        var removed = committed.Concat(added).Where(t => !t.Timeline.InAt(end)).ToList();
        var completed = atEnd.Where(t => t.DoneAt is { } done && done <= end).ToList();
        var notCompleted = atEnd.Where(t => t.DoneAt is not { } done || done > end).ToList();

        var days = new List<(DateTimeOffset Date, int Remaining)>();
        for (var day = start.UtcDateTime.Date; day <= end.UtcDateTime.Date && days.Count < MaxChartDays; day = day.AddDays(1))
        {
            // The state at the end of the day, or now for a day still running.
            var at = new DateTimeOffset(day.AddDays(1).AddTicks(-1), TimeSpan.Zero);
            at = at > end ? end : at;
            days.Add((day, timelines.Count(t => t.Timeline.InAt(at) && (t.DoneAt is not { } done || done > at))));
        }

        return new SprintModel(
            sprint.Name, sprint.State, sprint.StartDate, sprint.EndDate, sprint.CompleteDate, sprint.Goal,
            Issues(committed), Issues(added), Issues(removed), Issues(completed), Issues(notCompleted),
            Burndown(days, committed.Count));
    }

    private static List<IssueModel> Issues<T>(IEnumerable<(IssueModel Issue, T, DateTimeOffset?)> rows) =>
        rows.Select(r => r.Issue).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();

    private static BurndownModel Burndown(List<(DateTimeOffset Date, int Remaining)> days, int committed)
    {
        var max = Math.Max(1, Math.Max(committed, days.Count == 0 ? 0 : days.Max(d => d.Remaining)));
        double X(int index) => days.Count <= 1 ? 0 : Math.Round((double)index * ChartWidth / (days.Count - 1), 1);
        double Y(double remaining) => Math.Round(ChartHeight - (remaining * ChartHeight / max), 1);
        string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x},{y}");

        var actual = string.Join(' ', days.Select((d, i) => Point(X(i), Y(d.Remaining))));
        var ideal = days.Count == 0 ? string.Empty : $"{Point(0, Y(committed))} {Point(X(days.Count - 1), Y(0))}";
        return new BurndownModel(ChartWidth, ChartHeight, max, actual, ideal, days.Select((d, i) => new BurndownDayModel(d.Date, d.Remaining, X(i))).ToList());
    }

    /// <summary>When the issue was done: resolved, or its last status change while its status is in the done category.</summary>
    private static DateTimeOffset? DoneAt(IssueModel issue) =>
        issue.StatusCategory != "done" ? null : issue.Resolved ?? issue.Transitions.LastOrDefault()?.At ?? issue.Updated;

    private static MembershipTimeline Timeline(string sprintName, IssueModel issue, bool memberNow)
    {
        var changes = issue.Changelog
            .SelectMany(c => c.Items.Where(i => i.Field.Equals("Sprint", StringComparison.OrdinalIgnoreCase)).Select(i => (c.Created, i)))
            .OrderBy(c => c.Created)
            .Select(c => (At: c.Created, In: Names(c.i.To).Contains(sprintName), WasIn: Names(c.i.From).Contains(sprintName)))
            .Where(c => c.In != c.WasIn)
            .ToList();
        // Before the first logged change the issue was where that change took it from; without changes, where it is now.
        var initial = changes.Count > 0 ? changes[0].WasIn : memberNow;
        return new MembershipTimeline(initial, changes.Select(c => (c.At, c.In)).ToList());
    }

    private static HashSet<string> Names(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private sealed record MembershipTimeline(bool Initial, List<(DateTimeOffset At, bool In)> Changes)
    {
        public bool InAt(DateTimeOffset at)
        {
            var state = Initial;
            foreach (var change in Changes)
            {
                if (change.At > at)
                {
                    break;
                }

                state = change.In;
            }

            return state;
        }

        public bool JoinedBetween(DateTimeOffset from, DateTimeOffset to) => Changes.Any(c => c.In && c.At > from && c.At <= to);
    }
}
