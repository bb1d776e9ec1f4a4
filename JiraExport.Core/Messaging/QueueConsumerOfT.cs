using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Core.Messaging;

/// <summary>One delivery of a message: its id, how often the queue delivered it, and which retry it is.</summary>
/// <param name="Deliveries">Earlier deliveries of this very message (the quorum queue's <c>x-delivery-count</c>).</param>
/// <param name="Attempt">Retries through the retry queues so far (<see cref="MessagingTopology.AttemptHeader"/>).</param>
public sealed record QueueDelivery(Guid MessageId, string Type, int Deliveries, int Attempt, ReadOnlyMemory<byte> Body);

/// <summary>How a delivery ends.</summary>
public sealed record Settlement
{
    private Settlement(SettlementKind kind, TimeSpan pause = default, string? reason = null, string? retryRoutingKey = null, int attempt = 0)
    {
        Kind = kind;
        Pause = pause;
        Reason = reason;
        RetryRoutingKey = retryRoutingKey;
        Attempt = attempt;
    }

    public SettlementKind Kind { get; }

    public TimeSpan Pause { get; }

    public string? Reason { get; }

    public string? RetryRoutingKey { get; }

    public int Attempt { get; }

    /// <summary>Done: the work is committed.</summary>
    public static Settlement Ack { get; } = new(SettlementKind.Ack);

    /// <summary>Back to the queue after <paramref name="pause"/>; the queue's delivery limit bounds the attempts.</summary>
    public static Settlement Requeue(TimeSpan pause = default) => new(SettlementKind.Requeue, pause);

    /// <summary>A copy waits in the retry queue bound to <paramref name="routingKey"/>, marked as retry <paramref name="attempt"/>; this delivery is done.</summary>
    public static Settlement RetryLater(string routingKey, int attempt) => new(SettlementKind.RetryLater, retryRoutingKey: routingKey, attempt: attempt);

    /// <summary>Given up: the consumer records <paramref name="reason"/> where the user sees it, then the message is dead-lettered to parking.</summary>
    public static Settlement Park(string reason) => new(SettlementKind.Park, reason: reason);
}

public enum SettlementKind
{
    Ack,
    Requeue,
    RetryLater,
    Park,
}

/// <summary>
/// Consumes one queue of <typeparamref name="TMessage"/> (JSON): a malformed message is parked at once; a message the
/// queue delivered <see cref="MessagingOptions.DeliveryLimit"/> times (crashes included) is given up before the broker
/// drops it silently; otherwise the handler runs, and the subclass decides how a failure settles (<see cref="Settlement"/>).
/// Whatever gives up a message first tells the user why (<see cref="GiveUpAsync"/>).
/// </summary>
public abstract partial class QueueConsumer<TMessage>(
    IConnection connection, RabbitMqPublisher publisher, IOptions<MessagingOptions> options, ILogger logger)
    : QueueConsumer(connection, logger)
    where TMessage : class
{
    private const string DeliveryCountHeader = "x-delivery-count";

    /// <summary>The longest wait between two tries of a delivery while a store is away.</summary>
    private static readonly TimeSpan MaxOutagePause = TimeSpan.FromSeconds(10);

    protected MessagingOptions Messaging => options.Value;

    /// <summary>
    /// Does the work and commits it, and says how the delivery settles (usually <see cref="Settlement.Ack"/>); an exception
    /// is a failure that <see cref="OnFailedAsync"/> settles.
    /// </summary>
    protected abstract Task<Settlement> HandleAsync(TMessage message, QueueDelivery delivery, CancellationToken cancellationToken);

    /// <summary>How a failed delivery settles; by default it goes back to the queue.</summary>
    protected virtual Task<Settlement> OnFailedAsync(TMessage message, QueueDelivery delivery, Exception failure, CancellationToken cancellationToken) =>
        Task.FromResult(Settlement.Requeue());

    /// <summary>The reason shown when the queue's delivery limit is reached.</summary>
    protected abstract string DeliveryLimitReason(TMessage message);

    /// <summary>Records why a message is given up (the export or sync run failed) before it is parked.</summary>
    protected virtual Task GiveUpAsync(TMessage message, QueueDelivery delivery, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

    protected sealed override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs args, CancellationToken cancellationToken)
    {
        var message = Read(args.Body);
        if (message is null || !Guid.TryParse(args.BasicProperties.MessageId, out var messageId))
        {
            LogMalformed(Logger, QueueName, args.BasicProperties.MessageId);
            await channel.BasicNackAsync(args.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        var delivery = new QueueDelivery(messageId, args.BasicProperties.Type ?? typeof(TMessage).Name,
            ReadHeader(args, DeliveryCountHeader), ReadHeader(args, MessagingTopology.AttemptHeader), args.Body);
        Settlement settlement;
        if (delivery.Deliveries >= options.Value.DeliveryLimit)
        {
            // Every earlier delivery ended unsettled (a crash, or a failure that kept coming back): stop before the queue
            // drops the message to parking silently, so the user sees why.
            settlement = Settlement.Park(DeliveryLimitReason(message));
        }
        else
        {
            try
            {
                settlement = await HandleWhileStoresAnswerAsync(message, delivery, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(Logger, delivery.MessageId, QueueName, delivery.Deliveries + 1, delivery.Attempt, ex);
                settlement = await OnFailedAsync(message, delivery, ex, cancellationToken);
            }
        }

        await SettleAsync(channel, args, message, delivery, settlement, cancellationToken);
    }

    /// <summary>
    /// Runs the handler; while it fails because PostgreSQL or Redis is away, holds the delivery and runs it again as the
    /// store comes back, for up to <see cref="MessagingOptions.StoreOutageWait"/> from the first such failure. A store's
    /// restart is not the message's fault: settled as a failure, every delivery in it would fail at once (recording the
    /// failure needs the store too), spend the message's attempts within a second and park it, its export or sync left
    /// unfinished. A consumer that is stopping holds nothing back: the failure settles as any other.
    /// </summary>
    private async Task<Settlement> HandleWhileStoresAnswerAsync(TMessage message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        Stopwatch? away = null;
        for (var pause = TimeSpan.FromMilliseconds(500); ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxOutagePause.Ticks)))
        {
            try
            {
                return await HandleAsync(message, delivery, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !Stopping.IsCancellationRequested && StoreOutages.IsStoreUnavailable(ex))
            {
                away ??= Stopwatch.StartNew();
                if (away.Elapsed + pause >= options.Value.StoreOutageWait)
                {
                    throw;
                }

                LogStoreAway(Logger, delivery.MessageId, QueueName, pause.TotalSeconds, ex.Message);
                await Task.Delay(pause, Stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (Stopping.IsCancellationRequested)
                {
                    throw;
                }
            }
        }
    }

    private async Task SettleAsync(
        IChannel channel, BasicDeliverEventArgs args, TMessage message, QueueDelivery delivery, Settlement settlement, CancellationToken cancellationToken)
    {
        switch (settlement.Kind)
        {
            case SettlementKind.Ack:
                await channel.BasicAckAsync(args.DeliveryTag, multiple: false, cancellationToken);
                break;
            case SettlementKind.Requeue:
                if (settlement.Pause > TimeSpan.Zero)
                {
                    await Task.Delay(settlement.Pause, cancellationToken);
                }

                await channel.BasicNackAsync(args.DeliveryTag, multiple: false, requeue: true, cancellationToken);
                break;
            case SettlementKind.RetryLater:
                await publisher.PublishAsync(MessagingTopology.RetryExchange, settlement.RetryRoutingKey!, delivery.MessageId, delivery.Type, delivery.Body,
                    settlement.Attempt > 0 ? new Dictionary<string, object?> { [MessagingTopology.AttemptHeader] = settlement.Attempt } : null,
                    parentTraceId: null, cancellationToken);
                await channel.BasicAckAsync(args.DeliveryTag, multiple: false, cancellationToken);
                break;
            case SettlementKind.Park:
                LogParked(Logger, QueueName, delivery.MessageId, settlement.Reason!);
                await GiveUpAsync(message, delivery, settlement.Reason!, cancellationToken);
                await channel.BasicNackAsync(args.DeliveryTag, multiple: false, requeue: false, cancellationToken);
                break;
        }
    }

    private static TMessage? Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<TMessage>(body.Span, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int ReadHeader(BasicDeliverEventArgs delivery, string name) =>
        delivery.BasicProperties.Headers?.TryGetValue(name, out var value) == true && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} from {Queue} waits {Seconds} s for a store that does not answer: {Reason}")]
    private static partial void LogStoreAway(ILogger logger, Guid messageId, string queue, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Parked a malformed message from {Queue} (message id {MessageId})")]
    private static partial void LogMalformed(ILogger logger, string queue, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} from {Queue} failed (delivery {Delivery}, retry {Attempt})")]
    private static partial void LogFailed(ILogger logger, Guid messageId, string queue, int delivery, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parked message {MessageId} from {Queue}: {Reason}")]
    private static partial void LogParked(ILogger logger, string queue, Guid messageId, string reason);
}
