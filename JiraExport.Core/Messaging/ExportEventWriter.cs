using JiraExport.Core.Domain;

namespace JiraExport.Core.Messaging;

/// <summary>An export's state change as a domain event (see <see cref="DomainEventWriter"/>).</summary>
public sealed class ExportEventWriter(DomainEventWriter events)
{
    public Task<ExportEvent> AppendAsync(Export export, string eventName, string? message, CancellationToken cancellationToken) =>
        events.AppendAsync(export.TenantId, ExportEventTypes.Aggregate, export.Id, eventName, sequence => new ExportEvent(
            export.TenantId, export.Id, sequence, export.Status.ToString().ToLowerInvariant(), export.Progress, message,
            export.IssueCount, export.FileName, export.SizeBytes), cancellationToken);
}
