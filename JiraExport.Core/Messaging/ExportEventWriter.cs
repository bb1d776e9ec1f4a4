using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Appends an export's event to <c>domain_events</c> with the tenant's next sequence number and queues it for
/// <c>jx.events</c> — both in the caller's transaction, so an event exists exactly when its change does.
/// </summary>
public sealed class ExportEventWriter(JiraExportDbContext db, OutboxWriter outbox, TimeProvider timeProvider)
{
    public async Task<ExportEvent> AppendAsync(Export export, string eventName, string? message, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Export events are written inside the transaction of the change they describe.");
        }

        // The row lock on the tenant serialises sequence numbers per tenant without a gap.
        var sequences = await db.Database
            .SqlQuery<long>($"UPDATE tenants SET last_event_sequence = last_event_sequence + 1 WHERE id = {export.TenantId} RETURNING last_event_sequence AS \"Value\"")
            .ToListAsync(cancellationToken);
        var sequence = sequences.Single();

        var exportEvent = new ExportEvent(
            export.TenantId, export.Id, sequence, export.Status.ToString().ToLowerInvariant(), export.Progress, message,
            export.IssueCount, export.FileName, export.SizeBytes);

        db.DomainEvents.Add(new DomainEvent
        {
            TenantId = export.TenantId,
            Sequence = sequence,
            Id = Guid.CreateVersion7(),
            Aggregate = ExportEventTypes.Aggregate,
            AggregateId = export.Id,
            Type = eventName,
            Payload = JsonSerializer.Serialize(exportEvent, OutboxWriter.Json),
            OccurredAt = timeProvider.GetUtcNow(),
        });
        outbox.Enqueue(MessagingTopology.EventsExchange,
            MessagingTopology.EventRoutingKey(export.TenantId, ExportEventTypes.Aggregate, eventName), exportEvent);
        return exportEvent;
    }
}
