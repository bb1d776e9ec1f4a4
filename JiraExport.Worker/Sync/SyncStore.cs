using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace JiraExport.Worker.Sync;

/// <summary>
/// The set-based SQL of a sync: reading the stored <c>updated</c> stamps of a page, and writing a page's issues and
/// transitions with one statement each (arrays through <c>unnest</c>), inside the caller's transaction.
/// </summary>
public sealed class SyncStore(JiraExportDbContext db)
{
    public async Task<Dictionary<long, DateTimeOffset>> ReadStampsAsync(Guid connectionId, IReadOnlyList<long> issueIds, CancellationToken cancellationToken)
    {
        var stamps = await db.SyncedIssues.AsNoTracking()
            .Where(i => i.ConnectionId == connectionId && issueIds.Contains(i.IssueId))
            .Select(i => new { i.IssueId, i.Updated })
            .ToListAsync(cancellationToken);
        return stamps.ToDictionary(s => s.IssueId, s => s.Updated);
    }

    /// <summary>
    /// Inserts or updates the issues; a stored row as new as the incoming one is left alone unless <paramref name="force"/>,
    /// so replays cost nothing. Answers the ids actually written; their transitions are replaced.
    /// </summary>
    public async Task<HashSet<long>> UpsertAsync(
        IReadOnlyList<(SyncedIssue Issue, List<IssueStatusTransition> Transitions)> rows, Guid jobId, bool force, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var written = new HashSet<long>();
        if (rows.Count == 0)
        {
            return written;
        }

        var first = rows[0].Issue;
        await using (var upsert = Command("""
            INSERT INTO jira_issues (tenant_id, connection_id, issue_id, key, project_key, summary, issue_type, status_id, status_name,
                status_category, priority, assignee_account_id, assignee_name, created, updated, fields, changelog, sync_revision,
                last_seen_job_id, synced_at)
            SELECT @tenant, @connection, u.issue_id, u.key, u.project_key, u.summary, u.issue_type, u.status_id, u.status_name,
                u.status_category, u.priority, u.assignee_account_id, u.assignee_name, u.created, u.updated, u.fields::jsonb,
                u.changelog::jsonb, 1, @job, @now
            FROM unnest(@issue_id, @key, @project_key, @summary, @issue_type, @status_id, @status_name, @status_category, @priority,
                @assignee_account_id, @assignee_name, @created, @updated, @fields, @changelog)
                AS u(issue_id, key, project_key, summary, issue_type, status_id, status_name, status_category, priority,
                     assignee_account_id, assignee_name, created, updated, fields, changelog)
            ON CONFLICT (tenant_id, connection_id, issue_id) DO UPDATE SET
                key = excluded.key, project_key = excluded.project_key, summary = excluded.summary, issue_type = excluded.issue_type,
                status_id = excluded.status_id, status_name = excluded.status_name, status_category = excluded.status_category,
                priority = excluded.priority, assignee_account_id = excluded.assignee_account_id, assignee_name = excluded.assignee_name,
                created = excluded.created, updated = excluded.updated, fields = excluded.fields, changelog = excluded.changelog,
                sync_revision = jira_issues.sync_revision + 1, last_seen_job_id = excluded.last_seen_job_id, synced_at = excluded.synced_at
            WHERE excluded.updated > jira_issues.updated OR @force
            RETURNING issue_id
            """))
        {
            upsert.Parameters.AddWithValue("tenant", first.TenantId);
            upsert.Parameters.AddWithValue("connection", first.ConnectionId);
            upsert.Parameters.AddWithValue("job", jobId);
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.AddWithValue("force", force);
            var issues = rows.Select(r => r.Issue).ToList();
            upsert.Parameters.AddWithValue("issue_id", issues.Select(i => i.IssueId).ToArray());
            AddText(upsert, "key", issues.Select(i => i.Key));
            AddText(upsert, "project_key", issues.Select(i => i.ProjectKey));
            AddText(upsert, "summary", issues.Select(i => i.Summary));
            AddText(upsert, "issue_type", issues.Select(i => i.IssueType));
            AddText(upsert, "status_id", issues.Select(i => i.StatusId));
            AddText(upsert, "status_name", issues.Select(i => i.StatusName));
            AddText(upsert, "status_category", issues.Select(i => i.StatusCategory));
            AddText(upsert, "priority", issues.Select(i => i.Priority));
            AddText(upsert, "assignee_account_id", issues.Select(i => i.AssigneeAccountId));
            AddText(upsert, "assignee_name", issues.Select(i => i.AssigneeName));
            upsert.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = issues.Select(i => (object?)i.Created ?? DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("updated", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = issues.Select(i => i.Updated).ToArray() });
            AddText(upsert, "fields", issues.Select(i => i.Fields));
            AddText(upsert, "changelog", issues.Select(i => i.Changelog));

            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add(reader.GetInt64(0));
            }
        }

        if (written.Count == 0)
        {
            return written;
        }

        var transitions = rows.Where(r => written.Contains(r.Issue.IssueId)).SelectMany(r => r.Transitions).ToList();
        await using (var delete = Command("""
            DELETE FROM jira_status_transitions WHERE tenant_id = @tenant AND connection_id = @connection AND issue_id = ANY(@issue_id)
            """))
        {
            delete.Parameters.AddWithValue("tenant", first.TenantId);
            delete.Parameters.AddWithValue("connection", first.ConnectionId);
            delete.Parameters.AddWithValue("issue_id", written.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (transitions.Count > 0)
        {
            await using var insert = Command("""
                INSERT INTO jira_status_transitions (tenant_id, connection_id, issue_id, history_id, at, from_status_id, from_status,
                    to_status_id, to_status, author_account_id, author_name)
                SELECT @tenant, @connection, u.* FROM unnest(@issue_id, @history_id, @at, @from_status_id, @from_status, @to_status_id,
                    @to_status, @author_account_id, @author_name)
                    AS u(issue_id, history_id, at, from_status_id, from_status, to_status_id, to_status, author_account_id, author_name)
                """);
            insert.Parameters.AddWithValue("tenant", first.TenantId);
            insert.Parameters.AddWithValue("connection", first.ConnectionId);
            insert.Parameters.AddWithValue("issue_id", transitions.Select(t => t.IssueId).ToArray());
            AddText(insert, "history_id", transitions.Select(t => t.HistoryId));
            insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = transitions.Select(t => t.At).ToArray() });
            AddText(insert, "from_status_id", transitions.Select(t => t.FromStatusId));
            AddText(insert, "from_status", transitions.Select(t => t.FromStatus));
            AddText(insert, "to_status_id", transitions.Select(t => t.ToStatusId));
            AddText(insert, "to_status", transitions.Select(t => t.ToStatus));
            AddText(insert, "author_account_id", transitions.Select(t => t.AuthorAccountId));
            AddText(insert, "author_name", transitions.Select(t => t.AuthorName));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return written;
    }

    /// <summary>Marks the page's issues as seen by this full run, so the finished walk can tell which stored ones vanished.</summary>
    public Task MarkSeenAsync(Guid connectionId, Guid jobId, IReadOnlyList<long> issueIds, CancellationToken cancellationToken) =>
        db.SyncedIssues
            .Where(i => i.ConnectionId == connectionId && issueIds.Contains(i.IssueId) && i.LastSeenJobId != jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastSeenJobId, jobId), cancellationToken);

    /// <summary>Deletes what a finished full walk did not see: issues deleted in Jira or moved out of the scope.</summary>
    public Task<int> DeleteUnseenAsync(Guid connectionId, Guid jobId, CancellationToken cancellationToken) =>
        db.SyncedIssues
            .Where(i => i.ConnectionId == connectionId && (i.LastSeenJobId == null || i.LastSeenJobId != jobId))
            .ExecuteDeleteAsync(cancellationToken);

    private NpgsqlCommand Command(string sql)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
                          ?? throw new InvalidOperationException("Sync writes run inside the page's transaction.");
        return new NpgsqlCommand(sql, transaction.Connection, transaction);
    }

    private static void AddText(NpgsqlCommand command, string name, IEnumerable<string?> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray(),
        });
}
