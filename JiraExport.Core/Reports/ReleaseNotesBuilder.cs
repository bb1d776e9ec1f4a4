namespace JiraExport.Core.Reports;

/// <summary>A fix version as Jira describes it in an issue's <c>fixVersions</c>.</summary>
public sealed record VersionFacts(string Name, bool Released, string? ReleaseDate, string? Description);

/// <summary>Groups issues by fix version, then by issue type: features first, bugs after, the rest by name.</summary>
public static class ReleaseNotesBuilder
{
    private static readonly string[] TypeOrder = ["Epic", "New Feature", "Story", "Improvement", "Task", "Bug", "Sub-task"];

    public static IReadOnlyList<ReleaseModel> Build(IReadOnlyList<IssueModel> issues, IReadOnlyDictionary<string, VersionFacts> versions) =>
        issues
            .SelectMany(issue => issue.FixVersions.Select(version => (version, issue)))
            .GroupBy(x => x.version, StringComparer.Ordinal)
            .Select(release =>
            {
                var facts = versions.TryGetValue(release.Key, out var known) ? known : new VersionFacts(release.Key, false, null, null);
                var groups = release
                    .GroupBy(x => x.issue.IssueType ?? "Other", StringComparer.Ordinal)
                    .OrderBy(g => Array.IndexOf(TypeOrder, g.Key) is var i and >= 0 ? i : TypeOrder.Length)
                    .ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new IssueGroupModel(g.Key, g.Select(x => x.issue).OrderBy(i => i.Key, KeyComparer.Instance).ToList()))
                    .ToList();
                return new ReleaseModel(facts.Name, facts.Released, facts.ReleaseDate, facts.Description, groups);
            })
            // Newest release first; unreleased versions (no date) on top.
            .OrderByDescending(r => r.ReleaseDate ?? "9999")
            .ThenByDescending(r => r.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Orders issue keys by project, then by number (ABC-9 before ABC-10).</summary>
    private sealed class KeyComparer : IComparer<string>
    {
        public static KeyComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            var (px, nx) = Split(x);
            var (py, ny) = Split(y);
            var byProject = string.CompareOrdinal(px, py);
            return byProject != 0 ? byProject : nx.CompareTo(ny);
        }

        private static (string Project, long Number) Split(string? key)
        {
            var dash = key?.LastIndexOf('-') ?? -1;
            return dash > 0 && long.TryParse(key.AsSpan(dash + 1), out var number) ? (key![..dash], number) : (key ?? string.Empty, 0);
        }
    }
}
