using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Analytics;

/// <summary>
/// Reads what sprint reports need from the synced store: the sprints, and the histories of every issue that has been in
/// them, members now or not (an issue removed from a sprint is named only by its Sprint field's history).
/// </summary>
public sealed class SprintStore(JiraExportDbContext db)
{
    /// <summary>Issues whose history a sprint query reads at most: a sprint holds tens or hundreds.</summary>
    public const int MaxIssues = 20_000;

    /// <summary>Any changelog item of the Sprint field, matched in PostgreSQL so only those issues' histories are parsed.</summary>
    private const string SprintChangePath = """$[*].items[*] ? (@.field like_regex "^sprint$" flag "i")""";

    public Task<List<SprintFacts>> SprintsAsync(Guid connectionId, long? boardId, int limit, CancellationToken cancellationToken) =>
        db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && (boardId == null || s.BoardId == boardId))
            .OrderByDescending(s => s.StartDate == null).ThenByDescending(s => s.StartDate).ThenByDescending(s => s.SprintId)
            .Take(limit)
            .Select(s => new SprintFacts(s.SprintId, s.BoardId, s.Name, s.State, s.StartDate, s.EndDate, s.CompleteDate, s.Goal))
            .ToListAsync(cancellationToken);

    /// <summary>The closed sprints of a board (or of the connection), the latest <paramref name="count"/>, oldest first.</summary>
    public async Task<List<SprintFacts>> ClosedSprintsAsync(Guid connectionId, long? boardId, int count, CancellationToken cancellationToken)
    {
        var sprints = await db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && (boardId == null || s.BoardId == boardId) && s.State == "closed" && s.StartDate != null)
            .OrderByDescending(s => s.CompleteDate ?? s.EndDate).ThenByDescending(s => s.SprintId)
            .Take(count)
            .Select(s => new SprintFacts(s.SprintId, s.BoardId, s.Name, s.State, s.StartDate, s.EndDate, s.CompleteDate, s.Goal))
            .ToListAsync(cancellationToken);
        sprints.Reverse();
        return sprints;
    }

    public Task<SprintFacts?> SprintAsync(Guid connectionId, long sprintId, CancellationToken cancellationToken) =>
        db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && s.SprintId == sprintId)
            .Select(s => new SprintFacts(s.SprintId, s.BoardId, s.Name, s.State, s.StartDate, s.EndDate, s.CompleteDate, s.Goal))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The histories of the issues that are in <paramref name="sprints"/> now or whose Sprint field's history names one of
    /// them; null when there are more than <see cref="MaxIssues"/>.
    /// </summary>
    public async Task<List<SprintIssueHistory>?> HistoriesAsync(Guid connectionId, IReadOnlyList<SprintFacts> sprints, CancellationToken cancellationToken)
    {
        var sprintIds = sprints.Select(s => s.SprintId).ToList();
        var names = sprints.Select(s => s.Name).ToList();
        var members = (await db.SprintIssues.AsNoTracking()
            .Where(m => m.ConnectionId == connectionId && sprintIds.Contains(m.SprintId))
            .Select(m => new { m.IssueId, m.SprintId }).ToListAsync(cancellationToken))
            .ToLookup(m => m.IssueId, m => m.SprintId);

        var moved = await db.SyncedIssues
            .FromSqlRaw($"SELECT * FROM jira_issues WHERE connection_id = {{0}} AND changelog @? '{SprintChangePath}'", connectionId)
            .AsNoTracking()
            .Select(i => new { i.IssueId, i.Changelog })
            .ToListAsync(cancellationToken);
        var sprintChanges = new Dictionary<long, List<SprintFieldChange>>();
        foreach (var issue in moved)
        {
            var changes = SprintChanges(issue.Changelog);
            if (changes.Any(c => names.Any(n => SprintMembership.Names(c.From).Contains(n) || SprintMembership.Names(c.To).Contains(n))))
            {
                sprintChanges[issue.IssueId] = changes;
            }
        }

        var ids = members.Select(m => m.Key).Union(sprintChanges.Keys).ToList();
        if (ids.Count > MaxIssues)
        {
            return null;
        }

        var issues = await db.SyncedIssues.AsNoTracking()
            .Where(i => i.ConnectionId == connectionId && ids.Contains(i.IssueId))
            .Select(i => new { i.IssueId, i.Key, i.Summary, i.IssueType, Created = i.Created ?? i.Updated, i.StatusId })
            .ToListAsync(cancellationToken);
        var transitions = (await db.IssueStatusTransitions.AsNoTracking()
            .Where(t => t.ConnectionId == connectionId && ids.Contains(t.IssueId))
            .OrderBy(t => t.At)
            .Select(t => new { t.IssueId, Change = new StatusChange(t.At, t.FromStatusId, t.ToStatusId) })
            .ToListAsync(cancellationToken))
            .ToLookup(t => t.IssueId, t => t.Change);

        return issues.Select(i => new SprintIssueHistory(
            i.IssueId, i.Key, i.Summary, i.IssueType, i.Created, i.StatusId, members[i.IssueId].ToHashSet(),
            sprintChanges.GetValueOrDefault(i.IssueId) ?? [], [.. transitions[i.IssueId]])).ToList();
    }

    private static List<SprintFieldChange> SprintChanges(string changelog) =>
        (JsonSerializer.Deserialize<List<JiraChangelogEntry>>(changelog, JsonSerializerOptions.Web) ?? [])
            .Where(e => e.Created is not null)
            .SelectMany(e => (e.Items ?? []).Where(i => i.Field.Equals("Sprint", StringComparison.OrdinalIgnoreCase))
                .Select(i => new SprintFieldChange(e.Created!.Value, i.FromString, i.ToText)))
            .OrderBy(c => c.At)
            .ToList();
}
