using JiraExport.JiraSimulator.Jql;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>The generated issues, held in memory for the simulator's lifetime (read-only, so no locking).</summary>
internal sealed class IssueStore
{
    private readonly Dictionary<string, SeedIssue> _byKey;
    private readonly Dictionary<string, SeedIssue> _byId;

    public IssueStore(IReadOnlyList<SeedIssue> issues)
    {
        Issues = issues;
        _byKey = issues.ToDictionary(i => i.Key, StringComparer.OrdinalIgnoreCase);
        _byId = issues.ToDictionary(i => i.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<SeedIssue> Issues { get; }

    public SeedIssue? FindByKeyOrId(string keyOrId) =>
        _byKey.GetValueOrDefault(keyOrId) ?? _byId.GetValueOrDefault(keyOrId);

    /// <summary>Every issue the query matches, in its ORDER BY order.</summary>
    public IReadOnlyList<SeedIssue> Search(CompiledJql query) =>
        Issues.Where(query.Filter).Order(query.Order).ToList();
}
