using System.Text.Json;
using JiraExport.Core.Caching;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Appends a domain event to <c>domain_events</c> with the tenant's next sequence number, queues it for <c>jx.events</c>
/// and for the tenant's webhook subscriptions that want it — all in the caller's transaction, so an event exists exactly
/// when its change does. The Api's cached reads the change makes stale are evicted with it (<see cref="ReadCacheEvictor"/>),
/// and a change to the synced data raises the tenant's replication watermark (<see cref="ReplicationWatermarks"/>).
/// </summary>
public sealed class DomainEventWriter(
    JiraExportDbContext db, OutboxWriter outbox, WebhookFanOut webhooks, ReadCacheEvictor readCache, ReplicationWatermarks watermarks,
    TimeProvider timeProvider)
{
    /// <param name="payload">Builds the event from its sequence number, which clients use to see a gap.</param>
    public async Task<T> AppendAsync<T>(EventSubject subject, string eventName, Func<long, T> payload, CancellationToken cancellationToken)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(subject);
        var tenantId = subject.TenantId;
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Domain events are written inside the transaction of the change they describe.");
        }

        // The row lock on the tenant serialises sequence numbers per tenant without a gap.
        var sequences = await db.Database
            .SqlQuery<long>($"UPDATE tenants SET last_event_sequence = last_event_sequence + 1 WHERE id = {tenantId} RETURNING last_event_sequence AS \"Value\"")
            .ToListAsync(cancellationToken);
        var body = payload(sequences.Single());

        var domainEvent = new DomainEvent
        {
            TenantId = tenantId,
            Sequence = sequences.Single(),
            Id = Guid.CreateVersion7(),
            Aggregate = subject.Aggregate,
            AggregateId = subject.AggregateId,
            Type = eventName,
            Payload = JsonSerializer.Serialize(body, OutboxWriter.Json),
            OccurredAt = timeProvider.GetUtcNow(),
        };
        db.DomainEvents.Add(domainEvent);
        outbox.Enqueue(MessagingTopology.EventsExchange, MessagingTopology.EventRoutingKey(tenantId, subject.Aggregate, eventName), body);
        await webhooks.QueueAsync(domainEvent, subject, cancellationToken);
        var stale = ReadCacheTags.ChangedBy(subject.Aggregate);
        foreach (var resource in stale)
        {
            await readCache.EvictAsync(db, tenantId, resource, $"{subject.Aggregate} event", cancellationToken);
        }

        // The synced data changed: a standby answers the tenant's analytics again once it has replayed this commit.
        if (stale.Contains(ReadCacheTags.Issues))
        {
            await watermarks.RaiseAfterCommitAsync(db, tenantId, cancellationToken);
        }

        return body;
    }
}
