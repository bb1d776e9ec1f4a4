using System.Text.Json;
using JiraExport.Core.Messaging;
using JiraExport.Realtime.Hubs;

namespace JiraExport.Realtime.EventHandling;

/// <summary>
/// A domain event as the hub message clients receive, the same whether it comes live from <c>jx.events</c> or from the log
/// when a client resumes. An export's event goes to the export's group as well as the tenant's; a sync run's to the
/// tenant's.
/// </summary>
public sealed record HubEvent(Guid TenantId, Guid? ExportId, Guid AggregateId, long Sequence, Func<IExportsClient, Task> SendTo)
{
    /// <summary>Null for an event clients are not sent.</summary>
    public static HubEvent? Read(string aggregate, string eventName, ReadOnlySpan<byte> payload) => aggregate switch
    {
        ExportEventTypes.Aggregate when JsonSerializer.Deserialize<ExportEvent>(payload, JsonSerializerOptions.Web) is { } export =>
            ForExport(export, eventName),
        SyncEventTypes.Aggregate when JsonSerializer.Deserialize<SyncEvent>(payload, JsonSerializerOptions.Web) is { } sync =>
            ForSync(sync, eventName),
        _ => null,
    };

    private static HubEvent ForExport(ExportEvent e, string eventName)
    {
        var notification = new ExportNotification(e.ExportId, e.Status, e.Progress, e.Message, e.Sequence, e.IssueCount, e.FileName, e.SizeBytes);
        return new HubEvent(e.TenantId, e.ExportId, e.ExportId, e.Sequence, client => eventName switch
        {
            ExportEventTypes.Completed => client.exportCompleted(notification),
            ExportEventTypes.Failed => client.exportFailed(notification),
            ExportEventTypes.Cancelled => client.exportCancelled(notification),
            _ => client.exportProgress(notification),
        });
    }

    private static HubEvent ForSync(SyncEvent e, string eventName)
    {
        var notification = new SyncNotification(
            e.JobId, e.ConnectionId, e.Status, e.Progress, e.IssuesSeen, e.IssuesWritten, e.Deleted, e.Error, e.Sequence);
        return new HubEvent(e.TenantId, null, e.JobId, e.Sequence, client => eventName switch
        {
            SyncEventTypes.Completed => client.syncCompleted(notification),
            SyncEventTypes.Failed => client.syncFailed(notification),
            _ => client.syncProgress(notification),
        });
    }
}
