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
    EventRouting routing,
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
                var route = await RouteAsync(hubEvent, cancellationToken);
                await hubEvent.SendTo(hub.Clients.Groups(hubEvent.GroupsFor(route)));
                if (route.ToFollowers && hubEvent.Notice is { } notice)
                {
                    await notice.SendTo(hub.Clients.Groups(notice.Groups));
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPushFailed(logger, hubEvent.Subject.AggregateId, hubEvent.Sequence, ex);
            }
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    /// <summary>
    /// Where the tenant's rules send the event; when they cannot be read (the database is down and they are not cached), to
    /// the tenant's group alone, which gets every event anyway.
    /// </summary>
    private async Task<EventRoute> RouteAsync(HubEvent hubEvent, CancellationToken cancellationToken)
    {
        try
        {
            return await routing.RouteAsync(hubEvent.Subject, hubEvent.Type, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRoutingUnknown(logger, hubEvent.Subject.TenantId, hubEvent.Sequence, ex);
            return new EventRoute(ToFollowers: false, ToWebhooks: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the routing rules of tenant {TenantId}; event {Sequence} goes to the tenant's group only")]
    private static partial void LogRoutingUnknown(ILogger logger, Guid tenantId, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push event {Sequence} of {AggregateId}; clients catch up from the event log")]
    private static partial void LogPushFailed(ILogger logger, Guid aggregateId, long sequence, Exception exception);
}
