using JiraExport.JiraSimulator.Jql;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// The site's issues, its versions and which projects were deleted. Reads take an immutable snapshot; the test controls
/// change them under a lock and publish a new snapshot, so a search never sees half a change.
/// </summary>
internal sealed class IssueStore
{
    private readonly Lock _writeLock = new();
    private Snapshot _snapshot;
    private readonly Dictionary<string, int> _lastNumbers;
    private long _nextHistoryId = 900_000_000_000;
    private int _lastIssueId;
    private volatile IReadOnlyDictionary<string, SeedVersion> _versions = SeedVersion.Seed().ToDictionary(v => v.Id, StringComparer.Ordinal);
    private volatile IReadOnlySet<string> _deletedProjects = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public IssueStore(IReadOnlyList<SeedIssue> issues)
    {
        _snapshot = new Snapshot([.. issues.Select(i => i.FixVersionIds.Count > 0 ? i : i with { FixVersionIds = SeedVersion.FixedIn(i) })]);
        // Jira never hands out an id or a key number twice, not even after a deletion: the counters only go up.
        _lastIssueId = issues.Select(i => int.Parse(i.Id, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(SeedGenerator.FirstIssueId - 1).Max();
        _lastNumbers = issues.GroupBy(i => i.Project.Key).ToDictionary(g => g.Key, g => g.Max(i => i.Number), StringComparer.Ordinal);
    }

    /// <summary>Every issue, in id order.</summary>
    public IReadOnlyList<SeedIssue> Issues => _snapshot.Issues;

    public SeedIssue? FindByKeyOrId(string keyOrId)
    {
        var snapshot = _snapshot;
        return snapshot.ByKey.GetValueOrDefault(keyOrId) ?? snapshot.ById.GetValueOrDefault(keyOrId);
    }

    /// <summary>Every issue the query matches, in its ORDER BY order.</summary>
    public IReadOnlyList<SeedIssue> Search(CompiledJql query) =>
        _snapshot.Issues.Where(query.Filter).Order(query.Order).ToList();

    /// <summary>Replaces an issue with what <paramref name="change"/> makes of it; null when there is no such issue.</summary>
    public SeedIssue? Update(string keyOrId, Func<SeedIssue, SeedIssue> change) =>
        FindByKeyOrId(keyOrId) is { } issue ? UpdateMany([issue.Id], change).SingleOrDefault() : null;

    /// <summary>Changes the issues with these ids in one step; answers the changed issues.</summary>
    public IReadOnlyList<SeedIssue> UpdateMany(IReadOnlyCollection<string> ids, Func<SeedIssue, SeedIssue> change)
    {
        lock (_writeLock)
        {
            var wanted = ids.ToHashSet(StringComparer.Ordinal);
            var changed = new List<SeedIssue>();
            var issues = _snapshot.Issues.Select(issue =>
            {
                if (!wanted.Contains(issue.Id))
                {
                    return issue;
                }

                var next = change(issue);
                changed.Add(next);
                return next;
            }).ToArray();
            _snapshot = new Snapshot(issues);
            return changed;
        }
    }

    public SeedIssue Create(Func<int, int, SeedIssue> create, SeedProject project)
    {
        lock (_writeLock)
        {
            var number = _lastNumbers[project.Key] = _lastNumbers.GetValueOrDefault(project.Key) + 1;
            var issue = create(++_lastIssueId, number);
            _snapshot = new Snapshot([.. _snapshot.Issues, issue]);
            return issue;
        }
    }

    public bool Delete(string keyOrId)
    {
        lock (_writeLock)
        {
            var current = FindByKeyOrId(keyOrId);
            if (current is null)
            {
                return false;
            }

            _snapshot = new Snapshot(_snapshot.Issues.Where(i => i.Id != current.Id).ToArray());
            return true;
        }
    }

    public SeedVersion? Version(string id) => _versions.GetValueOrDefault(id);

    /// <summary>Renames or releases a version; its issues' <c>updated</c> stays, as in Jira.</summary>
    public SeedVersion? UpdateVersion(string id, Func<SeedVersion, SeedVersion> change)
    {
        lock (_writeLock)
        {
            if (!_versions.TryGetValue(id, out var version))
            {
                return null;
            }

            var changed = change(version);
            _versions = new Dictionary<string, SeedVersion>(_versions) { [id] = changed };
            return changed;
        }
    }

    /// <summary>Deletes a version and takes it off its issues, whose <c>updated</c> stays; null when there is none.</summary>
    public SeedVersion? DeleteVersion(string id)
    {
        lock (_writeLock)
        {
            if (!_versions.TryGetValue(id, out var version))
            {
                return null;
            }

            var versions = new Dictionary<string, SeedVersion>(_versions);
            versions.Remove(id);
            _versions = versions;
            _snapshot = new Snapshot([.. _snapshot.Issues.Select(i => i.FixVersionIds.Contains(id) ? i with { FixVersionIds = [.. i.FixVersionIds.Where(v => v != id)] } : i)]);
            return version;
        }
    }

    public bool IsProjectDeleted(string keyOrId) => _deletedProjects.Contains(keyOrId);

    /// <summary>Deletes a project with its issues and versions; answers the project, null when it is not (or no longer) there.</summary>
    public SeedProject? DeleteProject(string keyOrId)
    {
        lock (_writeLock)
        {
            var project = JiraCatalog.Projects.FirstOrDefault(p => p.Id == keyOrId || string.Equals(p.Key, keyOrId, StringComparison.OrdinalIgnoreCase));
            if (project is null || _deletedProjects.Contains(project.Key))
            {
                return null;
            }

            _deletedProjects = new HashSet<string>(_deletedProjects, StringComparer.OrdinalIgnoreCase) { project.Key, project.Id };
            _versions = _versions.Values.Where(v => v.ProjectId != project.Id).ToDictionary(v => v.Id, StringComparer.Ordinal);
            _snapshot = new Snapshot([.. _snapshot.Issues.Where(i => i.Project.Id != project.Id)]);
            return project;
        }
    }

    /// <summary>A changelog id no seeded history uses.</summary>
    public string NextHistoryId() =>
        Interlocked.Increment(ref _nextHistoryId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Snapshot
    {
        public Snapshot(SeedIssue[] issues)
        {
            Issues = issues;
            ByKey = issues.ToDictionary(i => i.Key, StringComparer.OrdinalIgnoreCase);
            ById = issues.ToDictionary(i => i.Id, StringComparer.Ordinal);
        }

        public SeedIssue[] Issues { get; }

        public Dictionary<string, SeedIssue> ByKey { get; }

        public Dictionary<string, SeedIssue> ById { get; }
    }
}
