using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Caching;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Core.Tenancy;
using JiraExport.Worker.Sync;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Webhooks;

/// <summary>
/// Applies one stored Jira webhook delivery to the store. A payload may be partial and deliveries arrive out of order, so
/// the issues a delivery names are read again as Jira has them now and written only where newer than the stored ones: a
/// late delivery never regresses an issue. An issue outside the connection's scope is left alone. A deletion, once Jira
/// confirms the issue gone, removes it at once (Jira never reuses an issue id). Each issue written or removed is a domain
/// event (<c>issue.changed</c>, <c>issue.deleted</c>) for live clients and webhook subscriptions. A sprint event brings the
/// stored sprint to Jira's state, or removes it once Jira confirms it gone. Version and project events are applied in
/// <c>JiraWebhookProcessor.Site.cs</c>.
/// </summary>
public sealed partial class JiraWebhookProcessor(
    JiraExportDbContext db,
    TenantContext tenantContext,
    JiraSiteResolver sites,
    JiraClient jira,
    JiraIssueReader issues,
    SyncStore store,
    SyncJobQueue syncJobs,
    DomainEventWriter events,
    ReadCacheEvictor readCache,
    TimeProvider timeProvider,
    ILogger<JiraWebhookProcessor> logger)
{
    /// <summary>How long a delivery may wait for Jira before its change is left to an incremental sync.</summary>
    private static readonly TimeSpan JiraBudget = TimeSpan.FromSeconds(10);

    private static readonly string[] SprintChanges = ["sprint_created", "sprint_updated", "sprint_started", "sprint_closed", "sprint_deleted"];

    private static readonly string[] IssueChanges =
    [
        "jira:issue_created", "jira:issue_updated", "comment_created", "comment_updated", "comment_deleted",
        "worklog_created", "worklog_updated", "worklog_deleted", "issuelink_created", "issuelink_deleted",
    ];

    public async Task ApplyAsync(JiraWebhookReceived message, CancellationToken cancellationToken)
    {
        tenantContext.Set(message.TenantId);
        var delivery = await db.InTransactionAsync(
            ct => db.JiraWebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == message.DeliveryId, ct), cancellationToken);
        if (delivery is null || delivery.ProcessedAt is not null)
        {
            return;
        }

        // Jira is asked outside any transaction; the delivery is then applied once, under its row lock.
        var change = await ReadChangeAsync(delivery, cancellationToken);
        var outcome = await db.InTransactionAsync(async ct =>
        {
            var locked = await db.JiraWebhookDeliveries
                .FromSql($"SELECT * FROM jira_webhook_deliveries WHERE id = {message.DeliveryId} FOR UPDATE")
                .SingleOrDefaultAsync(ct);
            if (locked is null || locked.ProcessedAt is not null)
            {
                return null;
            }

            locked.Outcome = (change switch
            {
                DeletedIssue deleted => await DeleteAsync(locked, deleted.IssueId, ct),
                GoneProject gone => await DeleteProjectAsync(locked, gone.ProjectId, ct),
                RestoredProject => await QueueSyncAsync(locked, ct, SyncMode.Full),
                ChangedSprint sprint => await UpdateSprintAsync(locked, sprint.Sprint, ct),
                GoneSprint gone => await DeleteSprintAsync(locked, gone.SprintId, ct),
                ChangedIssues changed => await WriteAsync(locked, changed, ct),
                UnnamedIssues => await QueueSyncAsync(locked, ct),
                Ignored ignored => $"ignored: {ignored.Reason}",
                _ => throw new InvalidOperationException($"Unknown change {change}."),
            }).Excerpt(100);
            locked.ProcessedAt = timeProvider.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return locked.Outcome;
        }, cancellationToken);
        if (outcome is not null)
        {
            LogApplied(logger, message.DeliveryId, outcome);
        }
    }

    private async Task<WebhookChange> ReadChangeAsync(JiraWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        if (VersionChanges.Contains(delivery.Event) || ProjectChanges.Contains(delivery.Event))
        {
            return await ReadSiteChangeAsync(delivery, cancellationToken);
        }

        var deletion = delivery.Event == "jira:issue_deleted";
        var sprintChange = SprintChanges.Contains(delivery.Event);
        if (!deletion && !sprintChange && !IssueChanges.Contains(delivery.Event))
        {
            return new Ignored("not applied yet");
        }

        using var body = JsonDocument.Parse(delivery.Body);
        var named = IssueIds(body.RootElement);
        var sprintId = sprintChange ? SprintId(body.RootElement) : null;
        if (sprintChange ? sprintId is null : named.Count == 0)
        {
            return sprintChange ? new Ignored("no sprint id") : deletion ? new Ignored("no issue id") : new UnnamedIssues();
        }

        var connection = await ConnectionOfAsync(delivery, cancellationToken);
        if (connection is null)
        {
            return new Ignored("the connection is gone");
        }

        if (sprintId is { } sprint)
        {
            return await ReadSprintAsync(connection, sprint, cancellationToken);
        }

        var site = await sites.ResolveAsync(connection, cancellationToken);
        if (deletion)
        {
            // Whoever holds the secret could claim any issue deleted: Jira has the last word.
            return (await jira.FindExistingIssueIdsAsync(site, named, cancellationToken)).Contains(named[0])
                ? new Ignored("Jira still has the issue")
                : new DeletedIssue(named[0]);
        }

        if (connection.SyncWatermark is null)
        {
            return new Ignored("the connection has not synced");
        }

        // The payload may be partial and deliveries arrive out of order: the issues are read as Jira has them now. One
        // site that is slow or pausing us must not hold the queue every tenant's deliveries share: after a short wait, the
        // change is left to an incremental sync, which waits out Jira in its own queue.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(JiraBudget);
        List<SyncedIssueRow> rows;
        var readAt = timeProvider.GetUtcNow();
        try
        {
            rows = await issues.ReadInScopeAsync(site, delivery.TenantId, delivery.ConnectionId, connection.SyncScopeJql ?? SyncScopes.EveryProject,
                [.. named.Select(id => id.ToString(CultureInfo.InvariantCulture))], budget.Token);
        }
        catch (JiraException ex) when (ex.Kind == JiraFailureKind.BadRequest)
        {
            // Data Center refuses a search that names an issue deleted meanwhile; its deletion has a delivery of its own.
            return new Ignored($"Jira refused to read it: {ex.Message}");
        }
        catch (Exception ex) when (IsJiraFailure(ex, cancellationToken))
        {
            return new UnnamedIssues();
        }

        return rows.Count == 0 ? new Ignored("outside the connection's scope, or gone from Jira") : new ChangedIssues(rows, readAt);
    }

    /// <summary>
    /// A sprint as Jira has it now: deliveries arrive out of order, and whoever holds the secret could send one. A sprint
    /// Jira no longer has is gone. Jira gets the same short wait as for issues; the next sync brings what it missed.
    /// </summary>
    private async Task<WebhookChange> ReadSprintAsync(JiraConnection connection, long sprintId, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(JiraBudget);
        try
        {
            var site = await sites.ResolveAsync(connection, budget.Token);
            return await jira.GetSprintAsync(site, sprintId, budget.Token) is { } sprint ? new ChangedSprint(sprint) : new GoneSprint(sprintId);
        }
        catch (Exception ex) when (IsJiraFailure(ex, cancellationToken))
        {
            return new Ignored($"Jira did not give the sprint; the next sync brings it: {ex.Message}");
        }
    }

    /// <summary>Brings a stored sprint to Jira's state; a sprint no stored issue is in is not stored (a sync adds it with its issues).</summary>
    private async Task<string> UpdateSprintAsync(JiraWebhookDelivery delivery, JiraSprint sprint, CancellationToken cancellationToken)
    {
        var updated = await db.SyncedSprints.Where(s => s.ConnectionId == delivery.ConnectionId && s.SprintId == sprint.Id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Name, sprint.Name ?? string.Empty)
                .SetProperty(x => x.State, sprint.State ?? "unknown")
                .SetProperty(x => x.Goal, sprint.Goal)
                .SetProperty(x => x.StartDate, sprint.StartDate.HasValue ? sprint.StartDate.Value.ToUniversalTime() : null)
                .SetProperty(x => x.EndDate, sprint.EndDate.HasValue ? sprint.EndDate.Value.ToUniversalTime() : null)
                .SetProperty(x => x.CompleteDate, sprint.CompleteDate.HasValue ? sprint.CompleteDate.Value.ToUniversalTime() : null), cancellationToken);
        if (updated == 0)
        {
            return "ignored: no stored issue is in the sprint";
        }

        await readCache.EvictAsync(db, delivery.TenantId, ReadCacheTags.Issues, "sprint", cancellationToken);
        return $"sprint {sprint.Id} updated";
    }

    private async Task<string> DeleteSprintAsync(JiraWebhookDelivery delivery, long sprintId, CancellationToken cancellationToken)
    {
        await db.SprintIssues.Where(s => s.ConnectionId == delivery.ConnectionId && s.SprintId == sprintId).ExecuteDeleteAsync(cancellationToken);
        var deleted = await db.SyncedSprints.Where(s => s.ConnectionId == delivery.ConnectionId && s.SprintId == sprintId).ExecuteDeleteAsync(cancellationToken);
        await readCache.EvictAsync(db, delivery.TenantId, ReadCacheTags.Issues, "sprint", cancellationToken);
        return $"sprint {sprintId} deleted {deleted}";
    }

    /// <summary>
    /// Writes the issues newer than the stored ones, or as new but changed (they were just read from Jira: what changed
    /// without moving <c>updated</c>, a deleted comment, a renamed version); an issue.changed event for each.
    /// </summary>
    private async Task<string> WriteAsync(JiraWebhookDelivery delivery, ChangedIssues change, CancellationToken cancellationToken)
    {
        var rows = change.Rows;
        var written = await store.UpsertAsync(rows, jobId: null, force: false, timeProvider.GetUtcNow(), cancellationToken, change.ReadAt);
        var keys = new List<string>();
        foreach (var issue in rows.Select(r => r.Issue).Where(i => written.Contains(i.IssueId)))
        {
            await AppendIssueEventAsync(delivery, IssueEventTypes.Changed, issue, cancellationToken);
            keys.Add(issue.Key);
        }

        return keys.Count > 0 ? $"applied {string.Join(", ", keys)}" : "ignored: the stored issue is as new";
    }

    /// <summary>
    /// Removes a stored issue Jira confirmed deleted, and leaves its tombstone (see <see cref="JiraIssueTombstone"/>). An
    /// issue never stored gets none: Jira also says "not there" of ids not given out yet and of issues the account cannot
    /// see, and a forged deletion of those must not keep them out of the store.
    /// </summary>
    private async Task<string> DeleteAsync(JiraWebhookDelivery delivery, long issueId, CancellationToken cancellationToken)
    {
        var stored = await db.SyncedIssues.AsNoTracking()
            .SingleOrDefaultAsync(i => i.ConnectionId == delivery.ConnectionId && i.IssueId == issueId, cancellationToken);
        if (stored is null)
        {
            return "deleted 0";
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO jira_issue_tombstones (tenant_id, connection_id, issue_id, deleted_at)
            VALUES ({delivery.TenantId}, {delivery.ConnectionId}, {issueId}, {timeProvider.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """, cancellationToken);

        await db.SyncedIssues.Where(i => i.ConnectionId == delivery.ConnectionId && i.IssueId == issueId).ExecuteDeleteAsync(cancellationToken);
        await AppendIssueEventAsync(delivery, IssueEventTypes.Deleted, stored, cancellationToken);
        return "deleted 1";
    }

    private Task<IssueEvent> AppendIssueEventAsync(JiraWebhookDelivery delivery, string eventName, SyncedIssue issue, CancellationToken cancellationToken) =>
        events.AppendAsync(
            new EventSubject(delivery.TenantId, IssueEventTypes.Aggregate, delivery.ConnectionId, delivery.ConnectionId, ProjectKeys: [issue.ProjectKey]),
            eventName,
            sequence => new IssueEvent(delivery.TenantId, delivery.ConnectionId, sequence, issue.IssueId, issue.Key, issue.ProjectKey,
                issue.Summary, issue.Updated, delivery.Event),
            cancellationToken);

    /// <summary>
    /// A change that names no issue, or whose issues Jira did not give in time: an incremental sync of the connection's scope
    /// finds it. A project back from the trash or the archive needs a full one: its issues did not change since they left.
    /// </summary>
    private async Task<string> QueueSyncAsync(JiraWebhookDelivery delivery, CancellationToken cancellationToken, SyncMode mode = SyncMode.Incremental)
    {
        var connection = await db.JiraConnections.AsNoTracking()
            .Where(c => c.Id == delivery.ConnectionId)
            .Select(c => new { c.SyncWatermark, c.SyncScopeJql })
            .SingleOrDefaultAsync(cancellationToken);
        if (connection?.SyncWatermark is null)
        {
            return "ignored: the connection has not synced";
        }

        var (job, alreadyActive) = await syncJobs.EnqueueAsync(
            delivery.TenantId, delivery.ConnectionId, mode, connection.SyncScopeJql ?? SyncScopes.EveryProject, cancellationToken);
        return alreadyActive ? $"sync {job.Id} already queued" : $"sync {job.Id} queued";
    }

    private Task<JiraConnection?> ConnectionOfAsync(JiraWebhookDelivery delivery, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == delivery.ConnectionId, ct), cancellationToken);

    /// <summary>The sprint a sprint event names (<c>sprint.id</c>).</summary>
    private static long? SprintId(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("sprint", out var sprint) && sprint.ValueKind == JsonValueKind.Object
        && sprint.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number) && number > 0
            ? number
            : null;

    /// <summary>The issues a payload names: <c>issue.id</c>, a worklog's <c>issueId</c>, or both ends of an issue link.</summary>
    private static List<long> IssueIds(JsonElement body)
    {
        var ids = new List<long>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ids;
        }

        AddId(ids, body, "issue", "id");
        AddId(ids, body, "worklog", "issueId");
        AddId(ids, body, "issueLink", "sourceIssueId");
        AddId(ids, body, "issueLink", "destinationIssueId");
        return [.. ids.Distinct().Take(JiraClient.MaxIssuesPerFetch)];
    }

    private static void AddId(List<long> ids, JsonElement body, string holder, string property)
    {
        if (body.TryGetProperty(holder, out var node) && node.ValueKind == JsonValueKind.Object && node.TryGetProperty(property, out var id)
            && (id.ValueKind == JsonValueKind.Number ? id.TryGetInt64(out var number)
                : long.TryParse(id.ValueKind == JsonValueKind.String ? id.GetString() : null, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            && number > 0)
        {
            ids.Add(number);
        }
    }

    private abstract record WebhookChange;

    private sealed record DeletedIssue(long IssueId) : WebhookChange;

    /// <summary>Issues as Jira gave them, read from <paramref name="ReadAt"/> on.</summary>
    private sealed record ChangedIssues(List<SyncedIssueRow> Rows, DateTimeOffset ReadAt) : WebhookChange;

    private sealed record UnnamedIssues : WebhookChange;

    private sealed record ChangedSprint(JiraSprint Sprint) : WebhookChange;

    private sealed record GoneSprint(long SprintId) : WebhookChange;

    private sealed record Ignored(string Reason) : WebhookChange;

    [LoggerMessage(Level = LogLevel.Information, Message = "Jira webhook delivery {DeliveryId}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, Guid deliveryId, string outcome);
}
