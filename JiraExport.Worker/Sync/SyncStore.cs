using JiraExport.Core.Jira;
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
    /// so replays cost nothing. Given <paramref name="readAt"/> (when the rows were read from Jira), an incoming row as new
    /// as the stored one is written when its fields differ and it was read after the stored one was written: Jira changes
    /// some things without moving <c>updated</c> (a version renamed, a comment deleted). Answers the ids actually written;
    /// their transitions are replaced. A write that is not a sync run's (<paramref name="jobId"/> null: a Jira webhook's)
    /// keeps the run that last saw the issue, and never brings back an issue Jira confirmed deleted
    /// (<see cref="Core.Domain.JiraIssueTombstone"/>); a sync run's writes what Jira showed it, which ends such a tombstone.
    /// </summary>
    public async Task<HashSet<long>> UpsertAsync(
        IReadOnlyList<SyncedIssueRow> rows, Guid? jobId, bool force, DateTimeOffset now,
        CancellationToken cancellationToken, DateTimeOffset? readAt = null)
    {
        var written = new HashSet<long>();
        if (rows.Count == 0)
        {
            return written;
        }

        var first = rows[0].Issue;
        await using (var upsert = Command("""
            INSERT INTO jira_issues (tenant_id, connection_id, issue_id, key, project_key, summary, issue_type, status_id, status_name,
                status_category, priority, assignee_account_id, assignee_name, created, updated, description_html, description_text,
                fields, changelog, sync_revision, last_seen_job_id, synced_at)
            SELECT @tenant, @connection, u.issue_id, u.key, u.project_key, u.summary, u.issue_type, u.status_id, u.status_name,
                u.status_category, u.priority, u.assignee_account_id, u.assignee_name, u.created, u.updated, u.description_html,
                u.description_text, u.fields::jsonb, u.changelog::jsonb, 1, @job, @now
            FROM unnest(@issue_id, @key, @project_key, @summary, @issue_type, @status_id, @status_name, @status_category, @priority,
                @assignee_account_id, @assignee_name, @created, @updated, @description_html, @description_text, @fields, @changelog)
                AS u(issue_id, key, project_key, summary, issue_type, status_id, status_name, status_category, priority,
                     assignee_account_id, assignee_name, created, updated, description_html, description_text, fields, changelog)
            WHERE @job IS NOT NULL OR NOT EXISTS (SELECT 1 FROM jira_issue_tombstones t
                              WHERE t.tenant_id = @tenant AND t.connection_id = @connection AND t.issue_id = u.issue_id)
            ON CONFLICT (tenant_id, connection_id, issue_id) DO UPDATE SET
                key = excluded.key, project_key = excluded.project_key, summary = excluded.summary, issue_type = excluded.issue_type,
                status_id = excluded.status_id, status_name = excluded.status_name, status_category = excluded.status_category,
                priority = excluded.priority, assignee_account_id = excluded.assignee_account_id, assignee_name = excluded.assignee_name,
                created = excluded.created, updated = excluded.updated, description_html = excluded.description_html,
                description_text = excluded.description_text, fields = excluded.fields, changelog = excluded.changelog,
                sync_revision = jira_issues.sync_revision + 1, last_seen_job_id = COALESCE(excluded.last_seen_job_id, jira_issues.last_seen_job_id), synced_at = excluded.synced_at
            WHERE excluded.updated > jira_issues.updated OR @force
                OR (excluded.updated = jira_issues.updated AND CAST(@read_at AS timestamptz) > jira_issues.synced_at
                    AND excluded.fields IS DISTINCT FROM jira_issues.fields)
            RETURNING issue_id
            """))
        {
            upsert.Parameters.AddWithValue("tenant", first.TenantId);
            upsert.Parameters.AddWithValue("connection", first.ConnectionId);
            upsert.Parameters.Add(new NpgsqlParameter("job", NpgsqlDbType.Uuid) { Value = (object?)jobId ?? DBNull.Value });
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.AddWithValue("force", force);
            upsert.Parameters.Add(new NpgsqlParameter("read_at", NpgsqlDbType.TimestampTz) { Value = (object?)readAt ?? DBNull.Value });
            var issues = rows.Select(r => r.Issue).ToList();
            upsert.Parameters.Add(Longs("issue_id", issues.Select(i => i.IssueId)));
            upsert.Parameters.Add(Texts("key", issues.Select(i => i.Key)));
            upsert.Parameters.Add(Texts("project_key", issues.Select(i => i.ProjectKey)));
            upsert.Parameters.Add(Texts("summary", issues.Select(i => i.Summary)));
            upsert.Parameters.Add(Texts("issue_type", issues.Select(i => i.IssueType)));
            upsert.Parameters.Add(Texts("status_id", issues.Select(i => i.StatusId)));
            upsert.Parameters.Add(Texts("status_name", issues.Select(i => i.StatusName)));
            upsert.Parameters.Add(Texts("status_category", issues.Select(i => i.StatusCategory)));
            upsert.Parameters.Add(Texts("priority", issues.Select(i => i.Priority)));
            upsert.Parameters.Add(Texts("assignee_account_id", issues.Select(i => i.AssigneeAccountId)));
            upsert.Parameters.Add(Texts("assignee_name", issues.Select(i => i.AssigneeName)));
            upsert.Parameters.Add(Times("created", issues.Select(i => i.Created)));
            upsert.Parameters.Add(Times("updated", issues.Select(i => (DateTimeOffset?)i.Updated)));
            upsert.Parameters.Add(Texts("description_html", issues.Select(i => i.DescriptionHtml)));
            upsert.Parameters.Add(Texts("description_text", issues.Select(i => i.DescriptionText)));
            upsert.Parameters.Add(Texts("fields", issues.Select(i => i.Fields)));
            upsert.Parameters.Add(Texts("changelog", issues.Select(i => i.Changelog)));

            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add(reader.GetInt64(0));
            }
        }

        // A webhook's write: a deletion that committed while it waited for the row made it insert the row anew, past the
        // tombstone its statement could not see yet; this statement sees it, and takes the row away again. A sync run's:
        // Jira showed it the issue, so a tombstone of it (the issue was hidden, then shown again) ends.
        if (written.Count > 0)
        {
            await using var settle = Command(jobId is null
                ? """
                  DELETE FROM jira_issues i USING jira_issue_tombstones t
                  WHERE i.tenant_id = @tenant AND i.connection_id = @connection AND i.issue_id = ANY(@issue_id)
                    AND t.tenant_id = i.tenant_id AND t.connection_id = i.connection_id AND t.issue_id = i.issue_id
                  RETURNING i.issue_id
                  """
                : """
                  DELETE FROM jira_issue_tombstones
                  WHERE tenant_id = @tenant AND connection_id = @connection AND issue_id = ANY(@issue_id)
                  """);
            settle.Parameters.AddWithValue("tenant", first.TenantId);
            settle.Parameters.AddWithValue("connection", first.ConnectionId);
            settle.Parameters.AddWithValue("issue_id", written.ToArray());
            await using var reader = await settle.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Remove(reader.GetInt64(0));
            }
        }

        if (written.Count == 0)
        {
            return written;
        }

        var changed = rows.Where(r => written.Contains(r.Issue.IssueId)).ToList();
        await ReplaceChildrenAsync(first.TenantId, first.ConnectionId, written, changed, cancellationToken);
        return written;
    }

    /// <summary>
    /// Replaces what hangs off the written issues — transitions, comments, worklogs, links, sprint membership — and
    /// upserts the sprints they name (a sprint is shared by many issues, so its newest state wins).
    /// </summary>
    private async Task ReplaceChildrenAsync(Guid tenantId, Guid connectionId, HashSet<long> written, List<SyncedIssueRow> rows, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "jira_status_transitions", "jira_comments", "jira_worklogs", "jira_issue_links", "jira_sprint_issues" })
        {
            await using var delete = Command(
                $"DELETE FROM {table} WHERE tenant_id = @tenant AND connection_id = @connection AND issue_id = ANY(@issue_id)");
            delete.Parameters.AddWithValue("tenant", tenantId);
            delete.Parameters.AddWithValue("connection", connectionId);
            delete.Parameters.AddWithValue("issue_id", written.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var transitions = rows.SelectMany(r => r.Transitions).ToList();
        await InsertAsync("jira_status_transitions", tenantId, connectionId, null, cancellationToken,
            Longs("issue_id", transitions.Select(t => t.IssueId)), Texts("history_id", transitions.Select(t => t.HistoryId)),
            Times("at", transitions.Select(t => (DateTimeOffset?)t.At)), Texts("from_status_id", transitions.Select(t => t.FromStatusId)),
            Texts("from_status", transitions.Select(t => t.FromStatus)), Texts("to_status_id", transitions.Select(t => t.ToStatusId)),
            Texts("to_status", transitions.Select(t => t.ToStatus)), Texts("author_account_id", transitions.Select(t => t.AuthorAccountId)),
            Texts("author_name", transitions.Select(t => t.AuthorName)));

        var comments = rows.SelectMany(r => r.Comments).ToList();
        await InsertAsync("jira_comments", tenantId, connectionId, null, cancellationToken,
            Longs("issue_id", comments.Select(c => c.IssueId)), Texts("comment_id", comments.Select(c => c.CommentId)),
            Texts("author_account_id", comments.Select(c => c.AuthorAccountId)), Texts("author_name", comments.Select(c => c.AuthorName)),
            Times("created", comments.Select(c => (DateTimeOffset?)c.Created)), Times("updated", comments.Select(c => c.Updated)),
            Texts("body_html", comments.Select(c => c.BodyHtml)), Texts("body_text", comments.Select(c => c.BodyText)));

        var worklogs = rows.SelectMany(r => r.Worklogs).ToList();
        await InsertAsync("jira_worklogs", tenantId, connectionId, null, cancellationToken,
            Longs("issue_id", worklogs.Select(w => w.IssueId)), Texts("worklog_id", worklogs.Select(w => w.WorklogId)),
            Texts("author_account_id", worklogs.Select(w => w.AuthorAccountId)), Texts("author_name", worklogs.Select(w => w.AuthorName)),
            Times("started", worklogs.Select(w => (DateTimeOffset?)w.Started)), Ints("time_spent_seconds", worklogs.Select(w => w.TimeSpentSeconds)),
            Texts("comment_text", worklogs.Select(w => w.CommentText)));

        var links = rows.SelectMany(r => r.Links).ToList();
        await InsertAsync("jira_issue_links", tenantId, connectionId, null, cancellationToken,
            Longs("issue_id", links.Select(l => l.IssueId)), Texts("link_id", links.Select(l => l.LinkId)),
            Texts("link_type", links.Select(l => l.LinkType)), Texts("relation", links.Select(l => l.Relation)),
            Longs("other_issue_id", links.Select(l => l.OtherIssueId)), Texts("other_key", links.Select(l => l.OtherKey)));

        var sprints = rows.SelectMany(r => r.Sprints).DistinctBy(s => s.SprintId).ToList();
        await InsertAsync("jira_sprints", tenantId, connectionId, """
            ON CONFLICT (tenant_id, connection_id, sprint_id) DO UPDATE SET board_id = excluded.board_id, name = excluded.name,
                state = excluded.state, start_date = excluded.start_date, end_date = excluded.end_date,
                complete_date = excluded.complete_date, goal = excluded.goal
            """, cancellationToken,
            Longs("sprint_id", sprints.Select(s => s.SprintId)), NullableLongs("board_id", sprints.Select(s => s.BoardId)),
            Texts("name", sprints.Select(s => s.Name)), Texts("state", sprints.Select(s => s.State)),
            Times("start_date", sprints.Select(s => s.StartDate)), Times("end_date", sprints.Select(s => s.EndDate)),
            Times("complete_date", sprints.Select(s => s.CompleteDate)), Texts("goal", sprints.Select(s => s.Goal)));

        var membership = rows.SelectMany(r => r.Sprints.Select(s => (r.Issue.IssueId, s.SprintId))).Distinct().ToList();
        await InsertAsync("jira_sprint_issues", tenantId, connectionId, null, cancellationToken,
            Longs("sprint_id", membership.Select(m => m.SprintId)), Longs("issue_id", membership.Select(m => m.IssueId)));
    }

    /// <summary>At most this many statuses of a site are kept: real sites have hundreds; a hostile one could list millions.</summary>
    public const int MaxStatuses = 5_000;

    /// <summary>
    /// The site's statuses as Jira lists them now; a status Jira no longer lists stays, as past transitions name it. What
    /// does not fit the columns (an id over 50 characters, a name over 200) is left out or cut, not allowed to fail the sync.
    /// </summary>
    public async Task UpsertStatusesAsync(
        Guid tenantId, Guid connectionId, IReadOnlyList<JiraStatusEntry> statuses, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var listed = statuses.Where(s => s.Id is { Length: > 0 and <= 50 }).DistinctBy(s => s.Id).Take(MaxStatuses)
            .Select(s => s with
            {
                Name = s.Name is { Length: > 200 } name ? name[..200] : s.Name,
                StatusCategory = s.StatusCategory?.Key is { Length: > 50 } ? null : s.StatusCategory,
            })
            .ToList();
        await InsertAsync("jira_statuses", tenantId, connectionId, """
            ON CONFLICT (tenant_id, connection_id, status_id) DO UPDATE SET name = excluded.name, category = excluded.category,
                synced_at = excluded.synced_at
            """, cancellationToken,
            Texts("status_id", listed.Select(s => s.Id)), Texts("name", listed.Select(s => s.Name ?? s.Id)),
            Texts("category", listed.Select(s => s.StatusCategory?.Key)), Times("synced_at", listed.Select(_ => (DateTimeOffset?)now)));
        // Kept statuses stay bounded too: those listed longest ago go first.
        await db.SyncedStatuses.Where(s => s.ConnectionId == connectionId)
            .OrderByDescending(s => s.SyncedAt).ThenBy(s => s.StatusId).Skip(MaxStatuses)
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>One INSERT … SELECT FROM unnest(arrays) for a table's rows of this tenant and connection.</summary>
    private async Task InsertAsync(
        string table, Guid tenantId, Guid connectionId, string? onConflict, CancellationToken cancellationToken, params NpgsqlParameter[] columns)
    {
        if (columns[0].Value is Array { Length: 0 })
        {
            return;
        }

        var names = string.Join(", ", columns.Select(c => c.ParameterName));
        await using var insert = Command($"""
            INSERT INTO {table} (tenant_id, connection_id, {names})
            SELECT @tenant, @connection, u.* FROM unnest({string.Join(", ", columns.Select(c => "@" + c.ParameterName))}) AS u({names})
            {onConflict}
            """);
        insert.Parameters.AddWithValue("tenant", tenantId);
        insert.Parameters.AddWithValue("connection", connectionId);
        insert.Parameters.AddRange(columns);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    private static NpgsqlParameter Longs(string name, IEnumerable<long> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values.ToArray() };

    private static NpgsqlParameter NullableLongs(string name, IEnumerable<long?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    private static NpgsqlParameter Ints(string name, IEnumerable<int> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = values.ToArray() };

    private static NpgsqlParameter Times(string name, IEnumerable<DateTimeOffset?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    /// <summary>Marks the page's issues as seen by this full run, so the finished walk can tell which stored ones vanished.</summary>
    public Task MarkSeenAsync(Guid connectionId, Guid jobId, IReadOnlyList<long> issueIds, CancellationToken cancellationToken) =>
        db.SyncedIssues
            .Where(i => i.ConnectionId == connectionId && issueIds.Contains(i.IssueId) && i.LastSeenJobId != jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastSeenJobId, jobId), cancellationToken);

    /// <summary>The stored issues a full walk has not seen (so far), apart from <paramref name="excluded"/>.</summary>
    public Task<List<long>> ReadUnseenIdsAsync(Guid connectionId, Guid jobId, IReadOnlyList<long> excluded, CancellationToken cancellationToken) =>
        db.SyncedIssues
            .Where(i => i.ConnectionId == connectionId && (i.LastSeenJobId == null || i.LastSeenJobId != jobId) && !excluded.Contains(i.IssueId))
            .Select(i => i.IssueId)
            .ToListAsync(cancellationToken);

    /// <summary>The issues stored for the connection.</summary>
    public Task<int> CountAsync(Guid connectionId, CancellationToken cancellationToken) =>
        db.SyncedIssues.CountAsync(i => i.ConnectionId == connectionId, cancellationToken);

    /// <summary>
    /// Deletes the issues a finished full walk did not see and Jira confirmed gone (or outside the scope). One the walk did see after all (it
    /// came back meanwhile) is kept.
    /// </summary>
    public Task<int> DeleteUnseenAsync(Guid connectionId, Guid jobId, IReadOnlyList<long> goneFromJira, CancellationToken cancellationToken) =>
        db.SyncedIssues
            .Where(i => i.ConnectionId == connectionId && (i.LastSeenJobId == null || i.LastSeenJobId != jobId) && goneFromJira.Contains(i.IssueId))
            .ExecuteDeleteAsync(cancellationToken);

    private NpgsqlCommand Command(string sql)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
                          ?? throw new InvalidOperationException("Sync writes run inside the page's transaction.");
        return new NpgsqlCommand(sql, transaction.Connection, transaction);
    }

}
