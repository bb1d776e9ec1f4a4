using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// Adds what people do on an issue between its creation and its last update: comments (0–5, in the summary's
/// language mostly), logged work with an original estimate, and attachment metadata. A random of its own per issue
/// leaves every other pass's data as it was.
/// </summary>
internal static class ActivityGenerator
{
    /// <summary>Every this many issues one has more worklogs than the <c>worklog</c> field embeds (20).</summary>
    public const int LongWorklogEvery = 250;

    public const int LongWorklogRemainder = 11;

    private static readonly int[] CommentCounts = [0, 1, 2, 3, 4, 5];

    private static readonly int[] CommentCountWeights = [35, 25, 18, 12, 6, 4];

    private static readonly int[] WorklogMinutes = [15, 30, 45, 60, 90, 120, 180, 240, 360, 480];

    // 1h, 2h, 4h, 1d, 2d, 3d, 1w in Jira's 8-hour days and 5-day weeks.
    private static readonly int[] EstimateHours = [1, 2, 4, 8, 16, 24, 40];

    public static SeedIssue Complete(int seed, SeedIssue issue)
    {
        var id = int.Parse(issue.Id, CultureInfo.InvariantCulture);
        var random = new Random(unchecked((seed * 7919) ^ id));
        var russian = issue.Summary.Any(c => c is >= 'А' and <= 'я' or 'ё' or 'Ё');

        var comments = Comments(random, issue, russian);
        var worklogs = Worklogs(random, issue, id, russian);
        var estimate = Estimate(random, worklogs);
        var attachments = Attachments(random, issue);
        return issue with { Comments = comments, Worklogs = worklogs, OriginalEstimateSeconds = estimate, Attachments = attachments };
    }

    /// <summary>Issues with logged work were estimated within ±40% of it; a few others carry an estimate only.</summary>
    private static int? Estimate(Random random, List<SeedWorklog> worklogs)
    {
        if (worklogs.Count == 0)
        {
            return random.NextDouble() < 0.3 ? SeedGenerator.Pick(random, EstimateHours) * 3600 : null;
        }

        var hours = worklogs.Sum(w => w.TimeSpentSeconds) / 3600.0 * (0.6 + (0.8 * random.NextDouble()));
        return Math.Max(1, (int)Math.Round(hours)) * 3600;
    }

    private static List<SeedComment> Comments(Random random, SeedIssue issue, bool russian)
    {
        var count = SeedGenerator.Pick(random, CommentCounts, CommentCountWeights);
        var times = Times(random, issue.Created, issue.Updated, count);
        var comments = new List<SeedComment>(times.Count);
        foreach (var created in times)
        {
            var texts = (random.NextDouble() < 0.8) == russian ? ActivityTexts.RussianComments : ActivityTexts.EnglishComments;
            var paragraphs = Enumerable.Range(0, random.NextDouble() < 0.25 ? 2 : 1).Select(_ => SeedGenerator.Pick(random, texts)).Distinct().ToList();
            var author = random.NextDouble() < 0.5 && issue.Assignee is { } assignee ? assignee : SeedGenerator.Pick(random, JiraCatalog.Users);
            var updated = random.NextDouble() < 0.2 ? Min(created.AddMinutes(random.Next(1, 600)), issue.Updated) : created;
            comments.Add(new SeedComment(ItemId(issue, comments.Count), author, paragraphs, created, updated));
        }

        return comments;
    }

    private static List<SeedWorklog> Worklogs(Random random, SeedIssue issue, int id, bool russian)
    {
        var count = id % LongWorklogEvery == LongWorklogRemainder ? random.Next(25, 31)
            : issue.Status != JiraCatalog.ToDo && random.NextDouble() < 0.55 ? random.Next(1, 7)
            : 0;
        // Worklogs are listed in the order they were logged (created), so ids follow that order.
        var logged = Times(random, issue.Created, issue.Updated.AddHours(-1), count).Select(started =>
        {
            var seconds = SeedGenerator.Pick(random, WorklogMinutes) * 60;
            var created = Min(started.AddSeconds(seconds).AddMinutes(random.Next(0, 120)), issue.Updated);
            var comment = random.NextDouble() < 0.7 ? SeedGenerator.Pick(random, russian ? ActivityTexts.RussianWorklogs : ActivityTexts.EnglishWorklogs) : null;
            return (Started: started, Seconds: seconds, Created: created, Comment: comment);
        }).OrderBy(w => w.Created).ToList();
        var author = issue.Assignee ?? issue.Reporter;
        return [.. logged.Select((w, n) => new SeedWorklog(ItemId(issue, n), author, w.Comment, w.Started, w.Seconds, w.Created, w.Created))];
    }

    private static List<SeedAttachment> Attachments(Random random, SeedIssue issue)
    {
        var count = random.NextDouble() < 0.2 ? random.Next(1, 4) : 0;
        var times = Times(random, issue.Created, issue.Updated, count);
        return
        [
            .. times.Select((created, n) =>
            {
                var file = SeedGenerator.Pick(random, ActivityTexts.Files);
                var size = random.Next(file.MinKb * 1024, file.MaxKb * 1024);
                var author = random.NextDouble() < 0.7 ? issue.Reporter : SeedGenerator.Pick(random, JiraCatalog.Users);
                return new SeedAttachment(ItemId(issue, n), file.Name, file.MimeType, size, author, created);
            }),
        ];
    }

    /// <summary>Comment, worklog and attachment ids: the issue id, then a two-digit position (so a worklog id names its issue).</summary>
    private static string ItemId(SeedIssue issue, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"{issue.Id}{position:D2}");

    /// <summary><paramref name="count"/> ascending moments strictly between <paramref name="from"/> and <paramref name="to"/>; none when there is no room.</summary>
    private static List<DateTimeOffset> Times(Random random, DateTimeOffset from, DateTimeOffset to, int count)
    {
        var spanMs = (long)(to - from).TotalMilliseconds;
        if (count == 0 || spanMs < 60_000)
        {
            return [];
        }

        return [.. Enumerable.Range(0, count).Select(_ => from.AddMilliseconds(1 + random.NextInt64(spanMs - 1))).Order()];
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
