using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Worker.Exports.Bulk;

/// <summary>
/// Takes bulk export steps from <c>jx.bulk</c>: plan, part finished, package. Acks after the step committed. A failed step
/// goes back to the queue after a short pause; when the queue's delivery limit is reached the bulk export is marked failed
/// and the message is parked, so nothing stays "running" for ever.
/// </summary>
public sealed class BulkJobConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<BulkJobConsumer> logger) : QueueConsumer<BulkExportStep>(connection, publisher, options, logger)
{
    protected override string QueueName => MessagingTopology.BulkJobsQueue;

    protected override ushort Prefetch => Messaging.Prefetch;

    protected override async Task<Settlement> HandleAsync(BulkExportStep job, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var work = job.Step switch
        {
            BulkSteps.Plan => scope.ServiceProvider.GetRequiredService<BulkPlanner>().PlanAsync(job, delivery.MessageId, cancellationToken),
            BulkSteps.PartFinished => scope.ServiceProvider.GetRequiredService<BulkProgress>().PartFinishedAsync(job, cancellationToken),
            BulkSteps.Package => scope.ServiceProvider.GetRequiredService<BulkPackager>().PackageAsync(job, delivery.MessageId, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown bulk step \"{job.Step}\"."),
        };
        await work;
        return Settlement.Ack;
    }

    // A short pause so a passing outage is not spent in a burst of redeliveries.
    protected override Task<Settlement> OnFailedAsync(BulkExportStep job, QueueDelivery delivery, Exception failure, CancellationToken cancellationToken) =>
        Task.FromResult(Settlement.Requeue(TimeSpan.FromMilliseconds(500 * (delivery.Deliveries + 1))));

    protected override string DeliveryLimitReason(BulkExportStep job) =>
        $"The bulk export's {job.Step} step was given up after {Messaging.DeliveryLimit} attempts; quote export {job.ExportId} to support.";

    protected override async Task GiveUpAsync(BulkExportStep job, QueueDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BulkParentUpdates>().FailAsync(job.ExportId, messageId: null, job.Step, reason, cancellationToken);
    }
}
