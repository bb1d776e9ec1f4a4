using JiraExport.Core.Domain;
using JiraExport.Core.Jira;

namespace JiraExport.Core.Messaging;

/// <summary>An export's state change as a domain event (see <see cref="DomainEventWriter"/>).</summary>
public sealed class ExportEventWriter(DomainEventWriter events)
{
    /// <summary>
    /// Appends the event; a part of a bulk export stays quiet (null): its parent reports the parts' aggregate progress,
    /// so a 1,000-part bulk does not send thousands of events to the tenant's clients.
    /// </summary>
    public async Task<ExportEvent?> AppendAsync(Export export, string eventName, string? message, CancellationToken cancellationToken)
    {
        // GET /exports/{id} shows the same message a live client was sent (saved with the export's own changes).
        export.Message = message is { Length: > 1000 } ? message[..1000] : message ?? export.Message;
        if (export.ParentExportId is not null)
        {
            return null;
        }

        var projectKeys = JqlProjects.Named(export.Jql);
        return await events.AppendAsync(
            new EventSubject(export.TenantId, ExportEventTypes.Aggregate, export.Id, export.ConnectionId, export.Template, projectKeys), eventName,
            sequence => new ExportEvent(
                export.TenantId, export.Id, sequence, export.Status.ToString().ToLowerInvariant(), export.Progress, message,
                export.IssueCount, export.FileName, export.SizeBytes, export.ConnectionId, projectKeys),
            cancellationToken);
    }
}
