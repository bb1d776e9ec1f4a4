using JiraExport.Core.Messaging;
using JiraExport.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Realtime.EventHandling;

/// <summary>
/// Turns domain events from <c>jx.events</c> into hub messages for their groups (<see cref="HubEvent"/>). A push that fails (backplane down) is not retried: a client that reconnects is sent what
/// it missed from the event log (<see cref="ExportsHub.SubscribeToTenantAfter"/>).
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
        if (delivery.RoutingKey.Split('.') is [_, var aggregate, var eventName]
            && HubEvent.Read(aggregate, eventName, delivery.Body.Span) is { } hubEvent)
        {
            try
            {
                await hubEvent.SendTo(hub.Clients.Groups(hubEvent.Groups));
                if (hubEvent.Notice is { } notice)
                {
                    await notice.SendTo(hub.Clients.Groups(notice.Groups));
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPushFailed(logger, hubEvent.AggregateId, hubEvent.Sequence, ex);
            }
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push event {Sequence} of {AggregateId}; clients catch up from the event log")]
    private static partial void LogPushFailed(ILogger logger, Guid aggregateId, long sequence, Exception exception);
}
