using System.Text.Json;
using JiraExport.Core.Messaging;
using JiraExport.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Realtime.EventHandling;

/// <summary>
/// Turns domain events from <c>jx.events</c> into hub messages: an export's for the export's and the tenant's groups, a
/// sync run's for the tenant's. A push that fails (backplane down) is not retried: clients re-read state over REST
/// after reconnecting.
/// </summary>
public sealed partial class DomainEventConsumer(
    IConnection connection,
    IHubContext<ExportsHub, IExportsClient> hub,
    IOptions<MessagingOptions> options,
    ILogger<DomainEventConsumer> logger) : QueueConsumer(connection, logger)
{
    protected override string QueueName => MessagingTopology.RealtimeQueue;

    protected override ushort Prefetch => (ushort)Math.Max(options.Value.Prefetch, (ushort)16);

    // One at a time, so clients receive an export's events in sequence order.
    protected override ushort Concurrency => 1;

    protected override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        switch (delivery.RoutingKey.Split('.'))
        {
            case [_, ExportEventTypes.Aggregate, var eventName]:
                await PushExportEventAsync(delivery, eventName, cancellationToken);
                break;
            case [_, SyncEventTypes.Aggregate, var eventName]:
                await PushSyncEventAsync(delivery, eventName, cancellationToken);
                break;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    private async Task PushSyncEventAsync(BasicDeliverEventArgs delivery, string eventName, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Deserialize<SyncEvent>(delivery.Body.Span, JsonSerializerOptions.Web) is not { } syncEvent)
        {
            return;
        }

        var notification = new SyncNotification(syncEvent.JobId, syncEvent.ConnectionId, syncEvent.Status, syncEvent.Progress,
            syncEvent.IssuesSeen, syncEvent.IssuesWritten, syncEvent.Deleted, syncEvent.Error, syncEvent.Sequence);
        try
        {
            var tenant = hub.Clients.Group(ExportGroups.Tenant(syncEvent.TenantId));
            await (eventName switch
            {
                SyncEventTypes.Completed => tenant.syncCompleted(notification),
                SyncEventTypes.Failed => tenant.syncFailed(notification),
                _ => tenant.syncProgress(notification),
            });
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPushFailed(logger, syncEvent.JobId, syncEvent.Sequence, ex);
        }
    }

    private async Task PushExportEventAsync(BasicDeliverEventArgs delivery, string eventName, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Deserialize<ExportEvent>(delivery.Body.Span, JsonSerializerOptions.Web) is { } exportEvent)
        {
            var notification = new ExportNotification(exportEvent.ExportId, exportEvent.Status, exportEvent.Progress, exportEvent.Message,
                exportEvent.Sequence, exportEvent.IssueCount, exportEvent.FileName, exportEvent.SizeBytes);
            try
            {
                var subscribers = hub.Clients.Groups(
                    ExportGroups.Tenant(exportEvent.TenantId),
                    ExportGroups.Export(exportEvent.TenantId, exportEvent.ExportId));
                await (eventName switch
                {
                    ExportEventTypes.Completed => subscribers.exportCompleted(notification),
                    ExportEventTypes.Failed => subscribers.exportFailed(notification),
                    ExportEventTypes.Cancelled => subscribers.exportCancelled(notification),
                    _ => subscribers.exportProgress(notification),
                });
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPushFailed(logger, exportEvent.ExportId, exportEvent.Sequence, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push event {Sequence} of {AggregateId}; clients will catch up over REST")]
    private static partial void LogPushFailed(ILogger logger, Guid aggregateId, long sequence, Exception exception);
}
