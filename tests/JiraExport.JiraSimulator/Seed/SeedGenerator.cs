using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// Builds the simulated site's issues (5,000 unless told otherwise) from a seed. Same seed and count, same issues
/// (System.Random with a seed is stable).
/// </summary>
internal static class SeedGenerator
{
    public const int FirstIssueId = 10000;

    internal static readonly DateTimeOffset FirstCreated = new(2024, 1, 9, 9, 0, 0, JiraCatalog.SiteOffset);
    internal static readonly DateTimeOffset LastCreated = new(2026, 10, 31, 18, 0, 0, JiraCatalog.SiteOffset);
    internal static readonly DateTimeOffset LastUpdated = new(2026, 11, 20, 18, 0, 0, JiraCatalog.SiteOffset);

    public const int DefaultIssueCount = 5000;

    public static IReadOnlyList<SeedIssue> Generate(int seed, int issueCount = DefaultIssueCount)
    {
        var random = new Random(seed);
        var slots = ShuffledProjectSlots(random, issueCount);
        var created = CreationTimes(random, slots.Length);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var issues = new List<SeedIssue>(slots.Length);

        // Ids and per-project numbers grow with creation time, as they do in a real site.
        for (var i = 0; i < slots.Length; i++)
        {
            var project = slots[i];
            var number = numbers[project.Key] = numbers.GetValueOrDefault(project.Key) + 1;
            var issue = HistoryGenerator.Complete(seed, CreateIssue(random, project, number, FirstIssueId + i, created[i]));
            issues.Add(ActivityGenerator.Complete(seed, AgileGenerator.Complete(seed, issue)));
        }

        // Links pair issues with earlier ones, so they need the whole list.
        return LinkGenerator.Link(seed, issues);
    }

    private static SeedProject[] ShuffledProjectSlots(Random random, int issueCount)
    {
        // Other sizes keep the projects' proportions; the last project takes the rounding.
        var sizes = JiraCatalog.Projects.Select(p => (int)((long)p.IssueCount * issueCount / DefaultIssueCount)).ToArray();
        sizes[^1] += issueCount - sizes.Sum();
        var slots = JiraCatalog.Projects.SelectMany((p, i) => Enumerable.Repeat(p, sizes[i])).ToArray();
        random.Shuffle(slots);
        return slots;
    }

    private static DateTimeOffset[] CreationTimes(Random random, int count)
    {
        var spanMs = (long)(LastCreated - FirstCreated).TotalMilliseconds;
        var times = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            times[i] = FirstCreated.AddMilliseconds(random.NextInt64(spanMs));
        }

        Array.Sort(times);
        return times;
    }

    private static SeedIssue CreateIssue(Random random, SeedProject project, int number, int id, DateTimeOffset created)
    {
        var issueType = Pick(random, JiraCatalog.IssueTypes, [35, 40, 25]);
        var russian = random.NextDouble() < 0.5;
        var summary = Summary(random, issueType == JiraCatalog.Bug, russian);
        if (random.NextDouble() < 0.05)
        {
            var emoji = Pick(random, WordLists.Emoji);
            summary = random.NextDouble() < 0.5 ? $"{emoji} {summary}" : $"{summary} {emoji}";
        }

        var paragraphs = russian ? WordLists.RussianParagraphs : WordLists.EnglishParagraphs;
        var description = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, paragraphs)).Distinct().ToList();
        var status = Pick(random, JiraCatalog.Statuses, [30, 20, 10, 40]);
        var priority = Pick(random, JiraCatalog.Priorities, [5, 20, 50, 20, 5]);
        var assignee = random.NextDouble() < 0.15 ? null : Pick(random, JiraCatalog.Users);
        var reporter = random.NextDouble() < 0.2 ? JiraCatalog.Admin : Pick(random, JiraCatalog.Users);
        var updated = created.AddMinutes(random.Next(0, 90 * 24 * 60)).AddMilliseconds(random.Next(1000));
        if (updated > LastUpdated)
        {
            updated = LastUpdated;
        }

        var labels = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Pick(random, JiraCatalog.Labels)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new SeedIssue(
            id.ToString(CultureInfo.InvariantCulture),
            $"{project.Key}-{number}",
            number,
            project,
            issueType,
            summary,
            description,
            status,
            priority,
            assignee,
            reporter,
            created,
            updated,
            labels,
            StoryPoints: null,
            Histories: []);
    }

    private static string Summary(Random random, bool bug, bool russian)
    {
        var (verbs, objects, contexts) = (bug, russian) switch
        {
            (true, false) => (WordLists.EnglishBugVerbs, WordLists.EnglishBugObjects, WordLists.EnglishContexts),
            (false, false) => (WordLists.EnglishFeatureVerbs, WordLists.EnglishFeatureObjects, WordLists.EnglishContexts),
            (true, true) => (WordLists.RussianBugVerbs, WordLists.RussianBugObjects, WordLists.RussianContexts),
            (false, true) => (WordLists.RussianFeatureVerbs, WordLists.RussianFeatureObjects, WordLists.RussianContexts),
        };
        return $"{Pick(random, verbs)} {Pick(random, objects)} {Pick(random, contexts)}";
    }

    internal static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    internal static T Pick<T>(Random random, IReadOnlyList<T> items, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < items.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return items[i];
            }
        }

        return items[^1];
    }
}
