using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// Links some issues to issues created shortly before them, mostly in the same project, with Jira Cloud's default
/// link types. Each link is stored on both issues under one id, so the two sides always agree.
/// </summary>
internal static class LinkGenerator
{
    public static readonly SeedLinkType Blocks = new("10000", "Blocks", "is blocked by", "blocks");
    public static readonly SeedLinkType Cloners = new("10001", "Cloners", "is cloned by", "clones");
    public static readonly SeedLinkType Duplicate = new("10002", "Duplicate", "is duplicated by", "duplicates");
    public static readonly SeedLinkType Relates = new("10003", "Relates", "relates to", "relates to");

    public const int FirstLinkId = 10000;

    // How far back a link reaches, in issues.
    private const int Reach = 300;

    private static readonly SeedLinkType[] Types = [Blocks, Relates, Duplicate, Cloners];

    private static readonly int[] TypeWeights = [40, 40, 10, 10];

    public static IReadOnlyList<SeedIssue> Link(int seed, IReadOnlyList<SeedIssue> issues)
    {
        var links = new Dictionary<string, List<SeedIssueLink>>(StringComparer.Ordinal);
        var linked = new HashSet<(string, string)>();
        var nextId = FirstLinkId;
        for (var i = 1; i < issues.Count; i++)
        {
            var issue = issues[i];
            var random = new Random(unchecked((seed * 1009) ^ int.Parse(issue.Id, CultureInfo.InvariantCulture)));
            var roll = random.NextDouble();
            var count = roll < 0.03 ? 2 : roll < 0.15 ? 1 : 0;
            for (var n = 0; n < count; n++)
            {
                var other = issues[Target(random, issues, i)];
                var type = SeedGenerator.Pick(random, Types, TypeWeights);

                // The newer issue duplicates or clones the older one; blocking and relating go either way.
                var newerIsSource = type == Duplicate || type == Cloners || random.NextDouble() < 0.5;
                if (!linked.Add((other.Id, issue.Id)))
                {
                    continue;
                }

                var id = (nextId++).ToString(CultureInfo.InvariantCulture);
                Add(links, issue.Id, new SeedIssueLink(id, type, other.Id, OtherIsOutward: newerIsSource));
                Add(links, other.Id, new SeedIssueLink(id, type, issue.Id, OtherIsOutward: !newerIsSource));
            }
        }

        return [.. issues.Select(i => links.TryGetValue(i.Id, out var own) ? i with { Links = own } : i)];
    }

    /// <summary>An earlier issue, from the same project unless two tries in a row miss it.</summary>
    private static int Target(Random random, IReadOnlyList<SeedIssue> issues, int index)
    {
        var candidate = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            candidate = index - 1 - random.Next(Math.Min(index, Reach));
            if (issues[candidate].Project == issues[index].Project)
            {
                break;
            }
        }

        return candidate;
    }

    private static void Add(Dictionary<string, List<SeedIssueLink>> links, string issueId, SeedIssueLink link)
    {
        if (!links.TryGetValue(issueId, out var list))
        {
            links[issueId] = list = [];
        }

        list.Add(link);
    }
}
