using System.Data.Common;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace JiraExport.Core.Analytics;

/// <summary>A connection's issues placed on the flow by one definition, the status sets that placed them, and the statuses' names.</summary>
public sealed record FlowSnapshot(FlowStatusSets Statuses, IReadOnlyList<FlowItem> Items, IReadOnlyDictionary<string, string> StatusNames)
{
    public string StatusName(string? statusId) => statusId is null ? "(no status)" : StatusNames.GetValueOrDefault(statusId, statusId);
}

/// <summary>A status transition that started or ended an item, as the drill-down shows it.</summary>
public sealed record FlowTransition(long IssueId, string HistoryId, DateTimeOffset At, string? FromStatus, string? ToStatus);

/// <summary>
/// Reads what the flow metrics need from the synced store. The heavy part runs in PostgreSQL: one pass over the
/// connection's transitions summarises each issue's crossings into the started and the finished statuses, so 1,000,000
/// transitions come back as one row per issue.
/// </summary>
public sealed class FlowStore(StandbyReads reads)
{
    private const string IntoStarted = "to_status_id = ANY(@started) AND (from_status_id IS NULL OR from_status_id <> ALL(@started))";
    private const string IntoFinished = "to_status_id = ANY(@finished) AND (from_status_id IS NULL OR from_status_id <> ALL(@finished))";

    /// <summary>
    /// One grouped pass over the transitions, with only the crossings <paramref name="definition"/> reads: each aggregate
    /// costs about a tenth of the pass, and each set test a little more. Built from constants only.
    /// </summary>
    private static string SummarySql(FlowDefinition definition)
    {
        static string Aggregate(bool needed, string function, string condition) =>
            needed ? $"{function}(at) FILTER (WHERE {condition})" : "NULL::timestamptz";

        var (start, end) = (definition.Start.Crossing, definition.End.Crossing);
        return $"""
            SELECT i.issue_id, i.key, i.project_key, i.issue_type, coalesce(i.created, i.updated), i.status_id,
                   t.last_at, t.first_at, t.started_first, t.started_last, t.from_started_first, t.finished_first, t.finished_last, t.from_finished_first
            FROM jira_issues i
            LEFT JOIN (
                SELECT issue_id, max(at) AS last_at, min(at) AS first_at,
                       {Aggregate(start == Crossing.First, "min", IntoStarted)} AS started_first,
                       {Aggregate(start == Crossing.Last, "max", IntoStarted)} AS started_last,
                       min(at) FILTER (WHERE from_status_id = ANY(@started)) AS from_started_first,
                       {Aggregate(end == Crossing.First, "min", IntoFinished)} AS finished_first,
                       {Aggregate(end == Crossing.Last || start == Crossing.Last, "max", IntoFinished)} AS finished_last,
                       min(at) FILTER (WHERE from_status_id = ANY(@finished)) AS from_finished_first
                FROM jira_status_transitions
                WHERE tenant_id = @tenant AND connection_id = @connection
                GROUP BY issue_id) t ON t.issue_id = i.issue_id
            WHERE i.tenant_id = @tenant AND i.connection_id = @connection
              AND (cardinality(@types) = 0 OR lower(i.issue_type) = ANY(@types))
              AND (cardinality(@projects) = 0 OR i.project_key = ANY(@projects))
              AND (@every_issue OR i.issue_id = ANY(@issue_ids))
            """;
    }

    /// <param name="issueIds">Only these issues (a report's); null: every issue of the projects.</param>
    public async Task<FlowSnapshot> ReadAsync(
        Guid connectionId, FlowDefinition definition, IReadOnlyList<string> projectKeys, CancellationToken cancellationToken,
        IReadOnlyCollection<long>? issueIds = null)
    {
        return await reads.ReadAsync((db, ct) => ReadInTransactionAsync(db, connectionId, definition, projectKeys, issueIds, ct), cancellationToken);
    }

    private static async Task<FlowSnapshot> ReadInTransactionAsync(
        JiraExportDbContext db, Guid connectionId, FlowDefinition definition, IReadOnlyList<string> projectKeys, IReadOnlyCollection<long>? issueIds,
        CancellationToken cancellationToken)
    {
        var known = await StatusesAsync(db, connectionId, cancellationToken);
        var statuses = FlowStatusSets.Resolve(definition, known);
        // A one-off analytical pass: compiling it would cost more than it saves, and its aggregate fits in memory.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'", cancellationToken);
        await using var command = db.Command(SummarySql(definition), connectionId);
        command.Parameters.Add(AnalyticsCommands.Texts("started", statuses.Started));
        command.Parameters.Add(AnalyticsCommands.Texts("finished", statuses.Finished));
        command.Parameters.Add(AnalyticsCommands.Texts("types", definition.IssueTypes.Select(t => t.ToLowerInvariant())));
        command.Parameters.Add(AnalyticsCommands.Texts("projects", projectKeys));
        command.Parameters.AddWithValue("every_issue", issueIds is null);
        command.Parameters.Add(new NpgsqlParameter("issue_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = (issueIds ?? []).ToArray() });
        var items = new List<FlowItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var lastAt = Time(reader, 6);
            var firstAt = Time(reader, 7);
            var statusId = reader.IsDBNull(5) ? null : reader.GetString(5);
            var issue = new FlowIssue(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), statusId, lastAt,
                Crossings(reader, 8, 9, 10, firstAt, statusId, statuses.Started),
                Crossings(reader, 11, 12, 13, firstAt, statusId, statuses.Finished));
            items.Add(FlowItem.Place(issue, definition,
                statusId is not null && statuses.Started.Contains(statusId), statusId is not null && statuses.Finished.Contains(statusId)));
        }

        return new FlowSnapshot(statuses, items, known.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal));
    }

    /// <summary>The transitions of <paramref name="issueIds"/>, oldest first: those that started and ended each item of a drill-down page among them.</summary>
    public Task<List<FlowTransition>> TransitionsAsync(Guid connectionId, IReadOnlyCollection<long> issueIds, CancellationToken cancellationToken) =>
        reads.ReadAsync((db, ct) => db.IssueStatusTransitions.AsNoTracking()
            .Where(t => t.ConnectionId == connectionId && issueIds.Contains(t.IssueId))
            .OrderBy(t => t.IssueId).ThenBy(t => t.At)
            .Select(t => new FlowTransition(t.IssueId, t.HistoryId, t.At, t.FromStatus, t.ToStatus))
            .ToListAsync(ct), cancellationToken);

    /// <summary>
    /// The site's statuses: those <c>GET /status</c> listed at the last sync, and any an issue is in that the list lacked
    /// (a connection synced before statuses were read, or a status added since).
    /// </summary>
    public Task<List<FlowStatus>> StatusesAsync(Guid connectionId, CancellationToken cancellationToken) =>
        reads.ReadAsync((db, ct) => StatusesAsync(db, connectionId, ct), cancellationToken);

    private static async Task<List<FlowStatus>> StatusesAsync(JiraExportDbContext db, Guid connectionId, CancellationToken cancellationToken)
    {
        var listed = await db.SyncedStatuses.AsNoTracking().Where(s => s.ConnectionId == connectionId)
            .Select(s => new FlowStatus(s.StatusId, s.Name, s.Category)).ToListAsync(cancellationToken);
        var held = await db.SyncedIssues.AsNoTracking().Where(i => i.ConnectionId == connectionId && i.StatusId != null)
            .GroupBy(i => i.StatusId)
            .Select(g => new FlowStatus(g.Key!, g.Max(i => i.StatusName) ?? g.Key!, g.Max(i => i.StatusCategory)))
            .ToListAsync(cancellationToken);
        var ids = listed.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return [.. listed, .. held.Where(h => !ids.Contains(h.Id))];
    }

    private static BoundaryCrossings Crossings(
        DbDataReader reader, int first, int last, int fromInsideFirst, DateTimeOffset? firstTransitionAt, string? statusNow, IReadOnlySet<string> set)
    {
        // Created inside: the first transition left the set, or there is none and the issue is in it now.
        var createdInside = firstTransitionAt is { } firstAt
            ? Time(reader, fromInsideFirst) == firstAt
            : statusNow is not null && set.Contains(statusNow);
        return new BoundaryCrossings(Time(reader, first), Time(reader, last), createdInside);
    }

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
