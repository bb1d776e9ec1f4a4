using System.Text.Json;
using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Worker.Bulk;

/// <summary>
/// Takes bulk export steps from <c>jx.bulk</c>: plan, part finished, package. Acks after the step committed. A failed step
/// goes back to the queue after a short pause; when the queue's delivery limit is reached the bulk export is marked failed
/// and the message is dead-lettered to <c>jx.bulk.parking</c>, so nothing stays "running" for ever.
/// </summary>
public sealed partial class BulkJobConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    IOptions<MessagingOptions> options,
    ILogger<BulkJobConsumer> logger) : QueueConsumer(connection, logger)
{
    protected override string QueueName => MessagingTopology.BulkJobsQueue;

    protected override ushort Prefetch => options.Value.Prefetch;

    protected override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var job = JsonSerializer.Deserialize<BulkExportStep>(delivery.Body.Span, JsonSerializerOptions.Web);
        if (job is null || !Guid.TryParse(delivery.BasicProperties.MessageId, out var messageId))
        {
            LogMalformed(logger, delivery.BasicProperties.MessageId);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var deliveries = DeliveryCount(delivery);
        if (deliveries >= options.Value.DeliveryLimit)
        {
            await scope.ServiceProvider.GetRequiredService<BulkParentUpdates>().FailAsync(job.ExportId, messageId: null, job.Step,
                $"The bulk export's {job.Step} step was given up after {options.Value.DeliveryLimit} attempts; quote export {job.ExportId} to support.",
                cancellationToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        try
        {
            var work = job.Step switch
            {
                BulkSteps.Plan => scope.ServiceProvider.GetRequiredService<BulkPlanner>().PlanAsync(job, messageId, cancellationToken),
                BulkSteps.PartFinished => scope.ServiceProvider.GetRequiredService<BulkProgress>().PartFinishedAsync(job, cancellationToken),
                BulkSteps.Package => scope.ServiceProvider.GetRequiredService<BulkPackager>().PackageAsync(job, messageId, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown bulk step \"{job.Step}\"."),
            };
            await work;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRetrying(logger, job.Step, job.ExportId, deliveries + 1, ex);
            // A short pause so a passing outage is not spent in a burst of redeliveries.
            await Task.Delay(TimeSpan.FromMilliseconds(500 * (deliveries + 1)), cancellationToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, cancellationToken);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    private static int DeliveryCount(BasicDeliverEventArgs delivery) =>
        delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var value) == true && value is not null
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped a malformed bulk export step (message id {MessageId})")]
    private static partial void LogMalformed(ILogger logger, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk step {Step} of export {ExportId} failed (delivery {Delivery}); it goes back to the queue")]
    private static partial void LogRetrying(ILogger logger, string step, Guid exportId, int delivery, Exception exception);
}
