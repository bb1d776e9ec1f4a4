using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Webhooks;

/// <summary>
/// Applies one stored Jira webhook delivery to the store. An issue's deletion removes it at once (Jira never reuses an
/// issue id, so no later state can bring it back); any other change to issues queues an incremental sync of the
/// connection, which collapses into a run already queued and reads each changed issue as it is now, so deliveries that
/// arrive out of order never regress a stored issue. Events about projects, sprints or versions are kept, not applied yet.
/// </summary>
public sealed partial class JiraWebhookProcessor(
    JiraExportDbContext db, TenantContext tenantContext, SyncJobQueue syncJobs, TimeProvider timeProvider, ILogger<JiraWebhookProcessor> logger)
{
    public async Task ApplyAsync(Core.Messaging.JiraWebhookReceived message, CancellationToken cancellationToken)
    {
        tenantContext.Set(message.TenantId);
        var outcome = await db.InTransactionAsync(async ct =>
        {
            // Locked: two deliveries of the same message apply it once.
            var delivery = await db.JiraWebhookDeliveries
                .FromSql($"SELECT * FROM jira_webhook_deliveries WHERE id = {message.DeliveryId} FOR UPDATE")
                .SingleOrDefaultAsync(ct);
            if (delivery is null || delivery.ProcessedAt is not null)
            {
                return null;
            }

            using var body = JsonDocument.Parse(delivery.Body);
            delivery.Outcome = await ApplyAsync(delivery, body.RootElement, ct);
            delivery.ProcessedAt = timeProvider.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return delivery.Outcome;
        }, cancellationToken);
        if (outcome is not null)
        {
            LogApplied(logger, message.DeliveryId, outcome);
        }
    }

    private async Task<string> ApplyAsync(JiraWebhookDelivery delivery, JsonElement body, CancellationToken cancellationToken)
    {
        switch (delivery.Event)
        {
            case "jira:issue_deleted":
                return IssueId(body, "issue", "id") is { } deleted
                    ? $"deleted {await db.SyncedIssues.Where(i => i.ConnectionId == delivery.ConnectionId && i.IssueId == deleted).ExecuteDeleteAsync(cancellationToken)}"
                    : "ignored: no issue id";
            case "jira:issue_created" or "jira:issue_updated"
                or "comment_created" or "comment_updated" or "comment_deleted"
                or "worklog_created" or "worklog_updated" or "worklog_deleted"
                or "issuelink_created" or "issuelink_deleted":
                return await QueueSyncAsync(delivery, cancellationToken);
            default:
                return "ignored: not applied yet";
        }
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

    private static long? IssueId(JsonElement body, string entity, string property) =>
        body.TryGetProperty(entity, out var value) && value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty(property, out var id) && id.ValueKind == JsonValueKind.String
        && long.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Jira webhook delivery {DeliveryId}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, Guid deliveryId, string outcome);
}
