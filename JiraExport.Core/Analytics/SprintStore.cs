using System.Linq.Expressions;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Analytics;

/// <summary>
/// Reads what sprint reports need from the synced store: the sprints, and the histories of every issue that has been in
/// them, members now or not (an issue removed from a sprint is named only by its Sprint field's history).
/// </summary>
public sealed class SprintStore(StandbyReads reads)
{
    /// <summary>Issues whose history a sprint query reads at most: a sprint holds tens or hundreds.</summary>
    public const int MaxIssues = 20_000;

    /// <summary>
    /// The Sprint field's changes of the issues whose history names one of <c>@names</c> (a substring test; the exact test
    /// is <see cref="SprintMembership.Names(string?, string)"/>), at most <c>@cap</c> issues. Only those items leave the
    /// database; jsonpath's lax mode passes over a malformed changelog instead of failing the query.
    /// </summary>
    private const string SprintChangesSql = """
        WITH named AS (
            SELECT i.issue_id, i.changelog FROM jira_issues i
            WHERE i.tenant_id = @tenant AND i.connection_id = @connection
              AND i.changelog @? '$[*].items[*] ? (@.field like_regex "^sprint$" flag "i")'
              AND EXISTS (
                  SELECT 1 FROM jsonb_path_query(i.changelog, '$[*].items[*] ? (@.field like_regex "^sprint$" flag "i")') x, unnest(@names) n
                  WHERE strpos(coalesce(x->>'fromString', '') || chr(31) || coalesce(x->>'toString', ''), n) > 0)
            LIMIT @cap)
        SELECT n.issue_id, e->>'created', x->>'fromString', x->>'toString'
        FROM named n
        CROSS JOIN LATERAL jsonb_path_query(n.changelog, '$[*] ? (exists(@.items[*] ? (@.field like_regex "^sprint$" flag "i")))') e
        CROSS JOIN LATERAL jsonb_path_query(e, '$.items[*] ? (@.field like_regex "^sprint$" flag "i")') x
        """;

    /// <summary>A synced sprint as the reports read it, in a query.</summary>
    public static readonly Expression<Func<SyncedSprint, SprintFacts>> Facts =
        s => new SprintFacts(s.SprintId, s.BoardId, s.Name, s.State, s.StartDate, s.EndDate, s.CompleteDate, s.Goal);

    public Task<List<SprintFacts>> SprintsAsync(Guid connectionId, long? boardId, int limit, CancellationToken cancellationToken) =>
        reads.ReadAsync((db, ct) => db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && (boardId == null || s.BoardId == boardId))
            .OrderByDescending(s => s.StartDate == null).ThenByDescending(s => s.StartDate).ThenByDescending(s => s.SprintId)
            .Take(limit)
            .Select(Facts)
            .ToListAsync(ct), cancellationToken);

    /// <summary>The closed sprints of a board (or of the connection), the latest <paramref name="count"/>, oldest first.</summary>
    public Task<List<SprintFacts>> ClosedSprintsAsync(Guid connectionId, long? boardId, int count, CancellationToken cancellationToken) =>
        reads.ReadAsync(async (db, ct) =>
        {
            var sprints = await db.SyncedSprints.AsNoTracking()
                .Where(s => s.ConnectionId == connectionId && (boardId == null || s.BoardId == boardId) && s.State == "closed" && s.StartDate != null
                    && (s.CompleteDate != null || s.EndDate != null))
                .OrderByDescending(s => s.CompleteDate ?? s.EndDate).ThenByDescending(s => s.SprintId)
                .Take(count)
                .Select(Facts)
                .ToListAsync(ct);
            sprints.Reverse();
            return sprints;
        }, cancellationToken);

    public Task<SprintFacts?> SprintAsync(Guid connectionId, long sprintId, CancellationToken cancellationToken) =>
        reads.ReadAsync((db, ct) => db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && s.SprintId == sprintId)
            .Select(Facts)
            .SingleOrDefaultAsync(ct), cancellationToken);

    /// <summary>
    /// The histories of the issues that are in <paramref name="sprints"/> now or whose Sprint field's history names one of
    /// them; null when there are more than <see cref="MaxIssues"/>.
    /// </summary>
    public Task<List<SprintIssueHistory>?> HistoriesAsync(Guid connectionId, IReadOnlyList<SprintFacts> sprints, CancellationToken cancellationToken) =>
        sprints.Count == 0 ? Task.FromResult<List<SprintIssueHistory>?>([]) : reads.ReadAsync((db, ct) => ReadHistoriesAsync(db, connectionId, sprints, ct), cancellationToken);

    private static async Task<List<SprintIssueHistory>?> ReadHistoriesAsync(
        JiraExportDbContext db, Guid connectionId, IReadOnlyList<SprintFacts> sprints, CancellationToken cancellationToken)
    {
        var sprintIds = sprints.Select(s => s.SprintId).ToList();
        var members = (await db.SprintIssues.AsNoTracking()
            .Where(m => m.ConnectionId == connectionId && sprintIds.Contains(m.SprintId))
            .OrderBy(m => m.IssueId)
            .Take(MaxIssues + 1)
            .Select(m => new { m.IssueId, m.SprintId }).ToListAsync(cancellationToken))
            .ToLookup(m => m.IssueId, m => m.SprintId);

        var sprintChanges = new Dictionary<long, List<SprintFieldChange>>();
        await using (var command = db.Command(SprintChangesSql, connectionId))
        {
            command.Parameters.Add(AnalyticsCommands.Texts("names", sprints.Select(s => s.Name.Trim())));
            command.Parameters.AddWithValue("cap", MaxIssues + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // A change without a date Jira writes cannot be placed in time: it is left out, not a failed report.
                if (Time(reader.IsDBNull(1) ? null : reader.GetString(1)) is not { } at)
                {
                    continue;
                }

                var issueId = reader.GetInt64(0);
                (sprintChanges.TryGetValue(issueId, out var changes) ? changes : sprintChanges[issueId] = [])
                    .Add(new SprintFieldChange(at, reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var ids = members.Select(m => m.Key).Union(sprintChanges.Keys).ToList();
        if (ids.Count > MaxIssues)
        {
            return null;
        }

        var issues = await db.SyncedIssues.AsNoTracking()
            .Where(i => i.ConnectionId == connectionId && ids.Contains(i.IssueId))
            .Select(i => new { i.IssueId, i.Key, i.Summary, i.IssueType, i.Created, i.StatusId })
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

    private static DateTimeOffset? Time(string? text)
    {
        try
        {
            return string.IsNullOrEmpty(text) ? null : JiraDateTimeOffsetConverter.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
