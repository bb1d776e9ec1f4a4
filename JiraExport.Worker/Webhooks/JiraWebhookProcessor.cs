using System.Globalization;
using System.Text.Json;
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
/// event (<c>issue.changed</c>, <c>issue.deleted</c>) for live clients and webhook subscriptions. Events about projects,
/// sprints or versions are kept, not applied yet.
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
    TimeProvider timeProvider,
    ILogger<JiraWebhookProcessor> logger)
{
    /// <summary>How long a delivery may wait for Jira before its change is left to an incremental sync.</summary>
    private static readonly TimeSpan JiraBudget = TimeSpan.FromSeconds(10);

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
                ChangedIssues changed => await WriteAsync(locked, changed.Rows, ct),
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
        var deletion = delivery.Event == "jira:issue_deleted";
        if (!deletion && !IssueChanges.Contains(delivery.Event))
        {
            return new Ignored("not applied yet");
        }

        using var body = JsonDocument.Parse(delivery.Body);
        var named = IssueIds(body.RootElement);
        if (named.Count == 0)
        {
            return deletion ? new Ignored("no issue id") : new UnnamedIssues();
        }

        var connection = await db.InTransactionAsync(
            ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == delivery.ConnectionId, ct), cancellationToken);
        if (connection is null)
        {
            return new Ignored("the connection is gone");
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
        catch (Exception ex) when (ex is JiraException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new UnnamedIssues();
        }

        return rows.Count == 0 ? new Ignored("outside the connection's scope, or gone from Jira") : new ChangedIssues(rows);
    }

    /// <summary>Writes the issues newer than the stored ones; an issue.changed event for each.</summary>
    private async Task<string> WriteAsync(JiraWebhookDelivery delivery, List<SyncedIssueRow> rows, CancellationToken cancellationToken)
    {
        var written = await store.UpsertAsync(rows, jobId: null, force: false, timeProvider.GetUtcNow(), cancellationToken);
        var keys = new List<string>();
        foreach (var issue in rows.Select(r => r.Issue).Where(i => written.Contains(i.IssueId)))
        {
            await AppendIssueEventAsync(delivery, IssueEventTypes.Changed, issue, cancellationToken);
            keys.Add(issue.Key);
        }

        return keys.Count > 0 ? $"applied {string.Join(", ", keys)}" : "ignored: the stored issue is as new";
    }

    private async Task<string> DeleteAsync(JiraWebhookDelivery delivery, long issueId, CancellationToken cancellationToken)
    {
        var stored = await db.SyncedIssues.AsNoTracking()
            .SingleOrDefaultAsync(i => i.ConnectionId == delivery.ConnectionId && i.IssueId == issueId, cancellationToken);
        if (stored is null)
        {
            return "deleted 0";
        }

        await db.SyncedIssues.Where(i => i.ConnectionId == delivery.ConnectionId && i.IssueId == issueId).ExecuteDeleteAsync(cancellationToken);
        await AppendIssueEventAsync(delivery, IssueEventTypes.Deleted, stored, cancellationToken);
        return "deleted 1";
    }

    private Task<IssueEvent> AppendIssueEventAsync(JiraWebhookDelivery delivery, string eventName, SyncedIssue issue, CancellationToken cancellationToken) =>
        events.AppendAsync(
            new EventSubject(delivery.TenantId, IssueEventTypes.Aggregate, delivery.ConnectionId, delivery.ConnectionId, ProjectKey: issue.ProjectKey),
            eventName,
            sequence => new IssueEvent(delivery.TenantId, delivery.ConnectionId, sequence, issue.IssueId, issue.Key, issue.ProjectKey,
                issue.Summary, issue.Updated, delivery.Event),
            cancellationToken);

    /// <summary>A change that names no issue, or whose issues Jira did not give in time: an incremental sync of the connection's scope finds it.</summary>
    private async Task<string> QueueSyncAsync(JiraWebhookDelivery delivery, CancellationToken cancellationToken)
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
            delivery.TenantId, delivery.ConnectionId, SyncMode.Incremental, connection.SyncScopeJql ?? SyncScopes.EveryProject, cancellationToken);
        return alreadyActive ? $"sync {job.Id} already queued" : $"sync {job.Id} queued";
    }

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

    private sealed record ChangedIssues(List<SyncedIssueRow> Rows) : WebhookChange;

    private sealed record UnnamedIssues : WebhookChange;

    private sealed record Ignored(string Reason) : WebhookChange;

    [LoggerMessage(Level = LogLevel.Information, Message = "Jira webhook delivery {DeliveryId}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, Guid deliveryId, string outcome);
}
