using System.Text.Json.Nodes;
using JiraExport.Core.Domain;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Webhooks;

/// <summary>
/// Queues a domain event for each of the tenant's enabled subscriptions that want it, in the event's own transaction:
/// one statement, and none for the events no subscription can ask for (progress) or the tenant's routing rules keep from
/// webhooks (<see cref="EventRouting"/>). The Worker sends what is queued.
/// </summary>
public sealed class WebhookFanOut(JiraExportDbContext db, EventRouting routing, TimeProvider timeProvider)
{
    public async Task QueueAsync(DomainEvent domainEvent, EventSubject subject, CancellationToken cancellationToken)
    {
        var type = domainEvent.TypeOf();
        if (!WebhookEventTypes.All.Contains(type)
            || !(await routing.RouteAsync(subject, type, cancellationToken)).ToWebhooks)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var body = Body(type, domainEvent.OccurredAt, JsonNode.Parse(domainEvent.Payload));
        var projects = subject.Projects.ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO webhook_deliveries (id, tenant_id, subscription_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), s.tenant_id, s.id, {domainEvent.Id}, {type}, CAST({body} AS jsonb), {nameof(WebhookDeliveryStatus.Pending)}, 0, {now}, {now}
            FROM webhook_subscriptions s
            WHERE s.tenant_id = {subject.TenantId} AND s.enabled AND {type} = ANY (s.event_types)
              AND (cardinality(s.connection_ids) = 0 OR CAST({subject.ConnectionId} AS uuid) = ANY (s.connection_ids))
              AND (cardinality(s.templates) = 0 OR CAST({subject.Template} AS text) IS NULL OR CAST({subject.Template} AS text) = ANY (s.templates))
              AND (cardinality(s.project_keys) = 0 OR cardinality(CAST({projects} AS text[])) = 0 OR s.project_keys && CAST({projects} AS text[]))
            """, cancellationToken);
    }

    /// <summary>The body Standard Webhooks suggests: the event's type, when it happened, and its data.</summary>
    public static string Body(string type, DateTimeOffset occurredAt, JsonNode? data) =>
        new JsonObject { ["type"] = type, ["timestamp"] = occurredAt.UtcDateTime, ["data"] = data }.ToJsonString();
}
