using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// Adds what the first pass leaves out: story points and a changelog whose status changes walk the workflow to the
/// issue's current status. A random of its own per issue keeps the first pass's issues exactly as they were.
/// </summary>
internal static class HistoryGenerator
{
    /// <summary>Every this many issues one carries a long history (more than a changelog page of 100).</summary>
    public const int LongHistoryEvery = 250;

    public const int LongHistoryExtraEntries = 130;

    private static readonly double?[] StoryPointScale = [1, 2, 3, 5, 8, 13, null];

    public static SeedIssue Complete(int seed, SeedIssue issue)
    {
        var id = int.Parse(issue.Id, CultureInfo.InvariantCulture);
        var random = new Random(unchecked((seed * 397) ^ id));
        var storyPoints = issue.IssueType == JiraCatalog.Story ? SeedGenerator.Pick(random, StoryPointScale) : null;

        var changes = new List<(SeedUser Author, SeedChange Change)>();
        var path = StatusPath(random, issue.Status);
        for (var i = 1; i < path.Count; i++)
        {
            changes.Add((issue.Assignee ?? issue.Reporter, StatusChange(path[i - 1], path[i])));
        }

        if (random.NextDouble() < 0.3)
        {
            changes.Insert(random.Next(changes.Count + 1), (issue.Reporter, new SeedChange(
                "labels", "labels", "jira", null, null, null, string.Join(' ', issue.Labels.DefaultIfEmpty("triage")))));
        }

        if (id % LongHistoryEvery == 7)
        {
            for (var i = 0; i < LongHistoryExtraEntries; i++)
            {
                changes.Insert(random.Next(changes.Count + 1), (SeedGenerator.Pick(random, JiraCatalog.Users),
                    new SeedChange("Rank", "customfield_10019", "custom", null, null, null, i % 2 == 0 ? "Ranked higher" : "Ranked lower")));
            }
        }

        // Spread the changes between creation and the last update, which the last change made.
        var span = issue.Updated - issue.Created;
        var histories = new List<SeedHistory>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var at = i == changes.Count - 1 ? issue.Updated : issue.Created + (span * (i + 1) / (changes.Count + 1));
            histories.Add(new SeedHistory(HistoryId(id, i), changes[i].Author, at, [changes[i].Change]));
        }

        return issue with { StoryPoints = storyPoints, Histories = histories };
    }

    public static SeedChange StatusChange(SeedStatus from, SeedStatus to) =>
        new("status", "status", "jira", from.Id, from.Name, to.Id, to.Name);

    /// <summary>
    /// Adds histories from a later pass among the existing ones by time, leaving those as they were (ids, times, order).
    /// At equal times the existing history stays first.
    /// </summary>
    public static SeedIssue WithHistories(SeedIssue issue, IReadOnlyCollection<SeedHistory> extra) =>
        extra.Count == 0 ? issue : issue with { Histories = [.. issue.Histories.Concat(extra).OrderBy(h => h.Created)] };

    /// <summary>Unique across the site: the issue id, then a four-digit position (later passes start at 5000).</summary>
    internal static string HistoryId(int issueId, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"{issueId}{position:D4}");

    /// <summary>To Do → … → the current status, sometimes sent back from review once, as real work goes.</summary>
    private static List<SeedStatus> StatusPath(Random random, SeedStatus current)
    {
        var workflow = JiraCatalog.Statuses;
        var target = workflow.ToList().IndexOf(current);
        var path = new List<SeedStatus> { workflow[0] };
        for (var i = 1; i <= target; i++)
        {
            path.Add(workflow[i]);
            if (workflow[i] == JiraCatalog.InReview && i < target && random.NextDouble() < 0.25)
            {
                path.Add(JiraCatalog.InProgress);
                path.Add(JiraCatalog.InReview);
            }
        }

        return path;
    }
}
