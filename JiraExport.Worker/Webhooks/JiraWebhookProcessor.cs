using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Webhooks;

/// <summary>
/// Applies one stored Jira webhook delivery to the store. An issue's deletion, once Jira confirms the issue is gone,
/// removes it at once (Jira never reuses an issue id, so no later state can bring it back); any other change to issues
/// queues an incremental sync of the connection, which collapses into a run already queued and reads each changed issue as
/// it is now, so deliveries that arrive out of order never regress a stored issue. Events about projects, sprints or
/// versions are kept, not applied yet.
/// </summary>
public sealed partial class JiraWebhookProcessor(
    JiraExportDbContext db,
    TenantContext tenantContext,
    JiraSiteResolver sites,
    JiraClient jira,
    SyncJobQueue syncJobs,
    TimeProvider timeProvider,
    ILogger<JiraWebhookProcessor> logger)
{
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

            locked.Outcome = change switch
            {
                DeletedIssue deleted =>
                    $"deleted {await db.SyncedIssues.Where(i => i.ConnectionId == locked.ConnectionId && i.IssueId == deleted.IssueId).ExecuteDeleteAsync(ct)}",
                ChangedIssues => await QueueSyncAsync(locked, ct),
                Ignored ignored => $"ignored: {ignored.Reason}",
                _ => throw new InvalidOperationException($"Unknown change {change}."),
            };
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
        if (IssueChanges.Contains(delivery.Event))
        {
            return new ChangedIssues();
        }

        if (delivery.Event != "jira:issue_deleted")
        {
            return new Ignored("not applied yet");
        }

        using var body = JsonDocument.Parse(delivery.Body);
        if (IssueId(body.RootElement) is not { } issueId)
        {
            return new Ignored("no issue id");
        }

        // Whoever holds the secret could claim any issue deleted: Jira has the last word.
        var connection = await db.InTransactionAsync(
            ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == delivery.ConnectionId, ct), cancellationToken);
        if (connection is null)
        {
            return new Ignored("the connection is gone");
        }

        var site = await sites.ResolveAsync(connection, cancellationToken);
        return (await jira.FindExistingIssueIdsAsync(site, [issueId], cancellationToken)).Contains(issueId)
            ? new Ignored("Jira still has the issue")
            : new DeletedIssue(issueId);
    }

    /// <summary>An incremental sync of the connection's scope; a connection that never synced has nothing to keep fresh.</summary>
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

    private static long? IssueId(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("issue", out var issue) && issue.ValueKind == JsonValueKind.Object
        && issue.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
        && long.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;

    private abstract record WebhookChange;

    private sealed record DeletedIssue(long IssueId) : WebhookChange;

    private sealed record ChangedIssues : WebhookChange;

    private sealed record Ignored(string Reason) : WebhookChange;

    [LoggerMessage(Level = LogLevel.Information, Message = "Jira webhook delivery {DeliveryId}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, Guid deliveryId, string outcome);
}
