using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// Puts issues into their project's sprints and epics. Done issues end in the sprint they were finished in; open ones
/// in the sprint holding their last update (an older one closed without them, so they went back to the backlog);
/// some not started yet were planned ahead into the active or a future sprint.
/// Some were carried over from earlier sprints, each carry-over a "Sprint" history at the earlier sprint's completion.
/// A random of its own per issue leaves every other pass's data as it was.
/// </summary>
internal static class AgileGenerator
{
    /// <summary>Sprint histories take positions from here on, after any the history pass can make.</summary>
    public const int FirstHistoryPosition = 5000;

    // Issues touched for less than this have no room for sprint histories between their creation and last update.
    private static readonly TimeSpan ShortestPlannedSpan = TimeSpan.FromHours(1);

    private static readonly int[] CarryOvers = [0, 1, 2, 3];

    private static readonly int[] CarryOverWeights = [50, 30, 15, 5];

    public static SeedIssue Complete(int seed, SeedIssue issue)
    {
        var id = int.Parse(issue.Id, CultureInfo.InvariantCulture);
        var random = new Random(unchecked((seed * 3571) ^ id));

        var epicChance = issue.IssueType == JiraCatalog.Story ? 0.8 : issue.IssueType == JiraCatalog.Task ? 0.6 : 0.3;
        var epic = random.NextDouble() < epicChance ? AgileCatalog.EpicFor(issue.Project, issue.Created) : null;
        var flagged = issue.Status.Category.Key == "indeterminate" && random.NextDouble() < 0.05;

        var (sprints, histories) = Plan(random, issue, id);
        return HistoryGenerator.WithHistories(issue with { Sprints = sprints, Epic = epic, Flagged = flagged }, histories);
    }

    private static (List<SeedSprint> Sprints, List<SeedHistory> Histories) Plan(Random random, SeedIssue issue, int id)
    {
        var board = AgileCatalog.ScrumBoardOf(issue.Project);
        var backlogChance = issue.Status == JiraCatalog.ToDo ? 0.35 : 0.08;
        if (issue.Updated - issue.Created < ShortestPlannedSpan || random.NextDouble() < backlogChance)
        {
            return ([], []);
        }

        var anchor = issue.Status == JiraCatalog.Done ? DoneAt(issue) : issue.Updated;
        var last = SprintCalendar.IndexAt(board, anchor);
        if (issue.Status == JiraCatalog.ToDo && random.NextDouble() < 0.5 && PlannedAhead(random, board, issue, anchor, last) is { } ahead)
        {
            return ([ahead.Sprint], [History(id, 0, board.Lead, ahead.At, null, [ahead.Sprint])]);
        }

        var first = SprintCalendar.IndexAt(board, issue.Created);

        // Created late in a sprint: planned into the next one.
        if (first < last && issue.Created > SprintCalendar.At(board, first).Start!.Value.AddDays(10))
        {
            first++;
        }

        first = Math.Max(first, last - SeedGenerator.Pick(random, CarryOvers, CarryOverWeights));

        var sprints = Enumerable.Range(first, last - first + 1).Select(i => SprintCalendar.At(board, i)).ToList();
        var histories = new List<SeedHistory>();
        var limit = first < last ? sprints[0].Complete!.Value : anchor;
        var added = sprints[0].Start!.Value.AddMinutes(-random.Next(60, 2880));
        added = Max(added, issue.Created.AddMinutes(random.Next(1, 30)));
        if (added >= limit)
        {
            added = issue.Created + ((limit - issue.Created) / 2);
        }

        histories.Add(History(id, histories.Count, board.Lead, added, null, sprints[..1]));
        for (var i = 1; i < sprints.Count; i++)
        {
            histories.Add(History(id, histories.Count, board.Lead, sprints[i - 1].Complete!.Value, sprints[..i], sprints[..(i + 1)]));
        }

        return (sprints, histories);
    }

    /// <summary>
    /// Not started yet: planned from the backlog straight into the active sprint or a future one, at a moment after
    /// that sprint was created and before the issue's last update. Null when no such sprint existed in time.
    /// </summary>
    private static (SeedSprint Sprint, DateTimeOffset At)? PlannedAhead(Random random, SeedBoard board, SeedIssue issue, DateTimeOffset anchor, int last)
    {
        var firstOpen = Math.Max(last + 1, SprintCalendar.ActiveIndex);
        var candidates = Enumerable.Range(firstOpen, Math.Max(0, SprintCalendar.ActiveIndex + board.FutureSprints - firstOpen + 1))
            .Select(i => SprintCalendar.At(board, i))
            .Where(s => anchor - Max(s.Created, issue.Created) > ShortestPlannedSpan)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var sprint = candidates[candidates.Count > 1 && random.NextDouble() < 0.25 ? 1 : 0];
        var from = Max(sprint.Created, issue.Created);
        return (sprint, from + ((anchor - from) * (0.2 + (0.7 * random.NextDouble()))));
    }

    /// <summary>When the issue reached Done: its last status change to Done.</summary>
    private static DateTimeOffset DoneAt(SeedIssue issue) =>
        issue.Histories.LastOrDefault(h => h.Items.Any(c => c.Field == "status" && c.To == JiraCatalog.Done.Id))?.Created ?? issue.Updated;

    /// <summary>The Sprint field's change as Jira logs it: names only, the old and new lists comma-separated.</summary>
    private static SeedHistory History(int issueId, int position, SeedUser author, DateTimeOffset at, List<SeedSprint>? from, List<SeedSprint> to) =>
        new(HistoryGenerator.HistoryId(issueId, FirstHistoryPosition + position), author, at,
            [new SeedChange("Sprint", "customfield_10020", "custom", null, from is null ? null : Names(from), null, Names(to))]);

    private static string Names(IEnumerable<SeedSprint> sprints) => string.Join(", ", sprints.Select(s => s.Name));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
