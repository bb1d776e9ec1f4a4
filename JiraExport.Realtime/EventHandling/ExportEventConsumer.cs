using System.Text.Json;
using JiraExport.Core.Messaging;
using JiraExport.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Realtime.EventHandling;

/// <summary>
/// Turns export domain events from <c>jx.events</c> into hub messages for the export's and the tenant's groups.
/// A push that fails (backplane down) is not retried: clients re-read state over REST after reconnecting.
/// </summary>
public sealed partial class ExportEventConsumer(
    IConnection connection,
    IHubContext<ExportsHub> hub,
    IOptions<MessagingOptions> options,
    ILogger<ExportEventConsumer> logger) : QueueConsumer(connection, logger)
{
    protected override string QueueName => MessagingTopology.RealtimeQueue;

    protected override ushort Prefetch => (ushort)Math.Max(options.Value.Prefetch, (ushort)16);

    // One at a time, so clients receive an export's events in sequence order.
    protected override ushort Concurrency => 1;

    protected override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var segments = delivery.RoutingKey.Split('.');
        if (segments is [_, ExportEventTypes.Aggregate, var eventName]
            && JsonSerializer.Deserialize<ExportEvent>(delivery.Body.Span, JsonSerializerOptions.Web) is { } exportEvent)
        {
            var method = eventName switch
            {
                ExportEventTypes.Completed => ExportHubMethods.Completed,
                ExportEventTypes.Failed => ExportHubMethods.Failed,
                _ => ExportHubMethods.Progress,
            };
            var notification = new ExportNotification(exportEvent.ExportId, exportEvent.Status, exportEvent.Progress, exportEvent.Message,
                exportEvent.Sequence, exportEvent.IssueCount, exportEvent.FileName, exportEvent.SizeBytes);
            try
            {
                await hub.Clients.Groups(
                        ExportGroups.Tenant(exportEvent.TenantId),
                        ExportGroups.Export(exportEvent.TenantId, exportEvent.ExportId))
                    .SendAsync(method, notification, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPushFailed(logger, exportEvent.ExportId, exportEvent.Sequence, ex);
            }
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push event {Sequence} of export {ExportId}; clients will catch up over REST")]
    private static partial void LogPushFailed(ILogger logger, Guid exportId, long sequence, Exception exception);
}
