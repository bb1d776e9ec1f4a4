using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Worker.Sync;

/// <summary>
/// Takes sync jobs from <c>jx.sync</c>. The run's checkpoint lives in PostgreSQL, so any failure simply hands the
/// message back and the next delivery resumes; when deliveries are spent the run is marked failed and parked.
/// </summary>
public sealed partial class SyncJobConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> messaging,
    IOptions<SyncOptions> options,
    ILogger<SyncJobConsumer> logger) : QueueConsumer(connection, logger)
{
    protected override string QueueName => MessagingTopology.SyncJobsQueue;

    protected override ushort Prefetch => (ushort)options.Value.Concurrency;

    protected override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var job = JsonSerializer.Deserialize<SyncRequested>(delivery.Body.Span, JsonSerializerOptions.Web);
        if (job is null)
        {
            LogMalformed(logger, delivery.BasicProperties.MessageId);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<SyncRunner>();
        var deliveries = delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var count) == true && count is not null
            ? Convert.ToInt32(count, CultureInfo.InvariantCulture)
            : 0;
        if (deliveries >= messaging.Value.DeliveryLimit)
        {
            await runner.FailAsync(job.JobId,
                $"The sync was given up after {deliveries} attempts that ended without a result; quote sync job {job.JobId} to support.", cancellationToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        try
        {
            await runner.RunAsync(job, cancellationToken);
        }
        catch (SyncDeferredException ex)
        {
            // Wait behind other tenants' runs: a copy goes round the wait queue, this delivery is done.
            LogDeferred(logger, job.JobId, ex.Message);
            await publisher.PublishAsync(MessagingTopology.RetryExchange, MessagingTopology.SyncWaitRoutingKey,
                Guid.TryParse(delivery.BasicProperties.MessageId, out var messageId) ? messageId : Guid.CreateVersion7(),
                delivery.BasicProperties.Type ?? nameof(SyncRequested), delivery.Body, headers: null, parentTraceId: null, cancellationToken);
        }
        catch (SyncLeaseLostException ex)
        {
            LogLeaseLost(logger, job.JobId, ex.Message);
        }
        catch (SyncLeaseHeldException ex)
        {
            LogLeaseLost(logger, job.JobId, ex.Message);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, cancellationToken);
            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && deliveries + 1 >= messaging.Value.DeliveryLimit)
        {
            // The last delivery the queue allows: end the run visibly rather than let the broker drop the message.
            LogGivenUp(logger, job.JobId, ex);
            await runner.FailAsync(job.JobId,
                $"The sync failed {deliveries + 1} times with an internal error and was given up; quote sync job {job.JobId} to support.", cancellationToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped a malformed sync job (message id {MessageId})")]
    private static partial void LogMalformed(ILogger logger, string? messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync {JobId} failed on its last allowed delivery; marked failed and parked")]
    private static partial void LogGivenUp(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sync {JobId} deferred: {Reason}")]
    private static partial void LogDeferred(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {JobId} left to another Worker: {Reason}")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId, string reason);
}
