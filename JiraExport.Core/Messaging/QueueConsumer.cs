using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Consumes one queue with manual acks and a bounded prefetch. The subclass decides what to ack, nack or
/// re-route; nothing is acknowledged before the handler's work is committed.
/// </summary>
public abstract partial class QueueConsumer(IConnection connection, ILogger logger) : BackgroundService
{
    private static readonly ActivitySource ActivitySource = new(ServiceDefaults.TelemetryNames.Messaging);

    /// <summary>Cancels the handlers' work once the grace period is over; stopping alone lets them finish.</summary>
    private readonly CancellationTokenSource _abandon = new();
    private readonly DeliveriesInHand _inHand = new();

    protected abstract string QueueName { get; }

    /// <summary>Fires when the host begins to stop: the consumer takes no new message and holds none back.</summary>
    protected CancellationToken Stopping { get; private set; }

    protected ILogger Logger => logger;

    protected abstract ushort Prefetch { get; }

    /// <summary>Deliveries handled at once; 1 keeps the queue's order.</summary>
    protected virtual ushort Concurrency => Prefetch;

    /// <summary>Handles one delivery and settles it (ack, nack or re-route) on <paramref name="channel"/>.</summary>
    protected abstract Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Stopping = stoppingToken;
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(false, false, consumerDispatchConcurrency: Concurrency), stoppingToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: Prefetch, global: false, stoppingToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (!_inHand.TryEnter(stoppingToken))
            {
                // Arrived as the consumer was cancelled: left unacknowledged, it goes back to the queue with the channel.
                return;
            }

            using var activity = StartConsumeActivity(delivery);
            try
            {
                await HandleAsync(channel, delivery, _abandon.Token);
            }
            catch (Exception ex) when (_abandon.IsCancellationRequested)
            {
                // The grace period ran out: leave the message unacknowledged, the broker hands it to the next consumer.
                LogStoppedMidMessage(logger, QueueName, ex.GetType().Name);
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                LogUnhandled(logger, QueueName, ex);
                // Back to the queue: its delivery limit bounds the attempts and then dead-letters the message.
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            }
            finally
            {
                _inHand.Exit();
            }
        };

        var consumerTag = await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, stoppingToken);

        // Consume until the host stops. Then take no new message, let the ones in hand finish within the grace period,
        // and close the channel, which hands anything unacknowledged back.
        await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (channel.IsOpen)
        {
            await channel.BasicCancelAsync(consumerTag, noWait: false, _abandon.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _inHand.WhenEmptyAsync(_abandon.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await channel.DisposeAsync();
    }

    /// <param name="cancellationToken">Fires when the host's shutdown timeout (drain delay plus grace period) runs out.</param>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(_abandon.Cancel))
        {
            await base.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private Activity? StartConsumeActivity(BasicDeliverEventArgs delivery)
    {
        ActivityContext parent = default;
        if (delivery.BasicProperties.Headers?.TryGetValue("traceparent", out var raw) == true)
        {
            var traceParent = raw is byte[] bytes ? Encoding.UTF8.GetString(bytes) : raw?.ToString();
            ActivityContext.TryParse(traceParent, null, out parent);
        }

        var activity = ActivitySource.StartActivity($"{QueueName} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", QueueName);
        activity?.SetTag("messaging.message.id", delivery.BasicProperties.MessageId);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure consuming {Queue}; the message goes back to the queue")]
    private static partial void LogUnhandled(ILogger logger, string queue, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped while handling a message from {Queue} ({Reason}); it will be redelivered")]
    private static partial void LogStoppedMidMessage(ILogger logger, string queue, string reason);
}
