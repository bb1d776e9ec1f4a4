using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Worker.Sync;

/// <summary>
/// Takes sync jobs from <c>jx.sync</c>. The run's checkpoint lives in PostgreSQL, so a failure simply hands the message
/// back and the next delivery resumes; a run waiting behind other tenants' goes round the wait queue; when deliveries
/// are spent the run is marked failed and parked.
/// </summary>
public sealed partial class SyncJobConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> messaging,
    IOptions<SyncOptions> options,
    ILogger<SyncJobConsumer> logger) : QueueConsumer<SyncRequested>(connection, publisher, messaging, logger)
{
    protected override string QueueName => MessagingTopology.SyncJobsQueue;

    protected override ushort Prefetch => (ushort)options.Value.Concurrency;

    protected override async Task<Settlement> HandleAsync(SyncRequested job, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<SyncRunner>().RunAsync(job, cancellationToken);
            return Settlement.Ack;
        }
        catch (SyncDeferredException ex)
        {
            // Wait behind other tenants' runs: a copy goes round the wait queue, this delivery is done.
            LogDeferred(Logger, job.JobId, ex.Message);
            return Settlement.RetryLater(MessagingTopology.SyncWaitRoutingKey, attempt: 0);
        }
        catch (SyncLeaseLostException ex)
        {
            LogLeftToAnother(Logger, job.JobId, ex.Message);
            return Settlement.Ack;
        }
        catch (SyncLeaseHeldException ex)
        {
            LogLeftToAnother(Logger, job.JobId, ex.Message);
            return Settlement.Requeue();
        }
    }

    // The last delivery the queue allows ends the run visibly rather than let the broker drop the message.
    protected override Task<Settlement> OnFailedAsync(SyncRequested job, QueueDelivery delivery, Exception failure, CancellationToken cancellationToken) =>
        Task.FromResult(delivery.Deliveries + 1 >= Messaging.DeliveryLimit
            ? Settlement.Park($"The sync failed {delivery.Deliveries + 1} times with an internal error and was given up; quote sync job {job.JobId} to support.")
            : Settlement.Requeue());

    protected override string DeliveryLimitReason(SyncRequested job) =>
        $"The sync was given up after {Messaging.DeliveryLimit} attempts that ended without a result; quote sync job {job.JobId} to support.";

    protected override async Task GiveUpAsync(SyncRequested job, QueueDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SyncRunner>().FailAsync(job.JobId, reason, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sync {JobId} deferred: {Reason}")]
    private static partial void LogDeferred(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {JobId} left to another Worker: {Reason}")]
    private static partial void LogLeftToAnother(ILogger logger, Guid jobId, string reason);
}
