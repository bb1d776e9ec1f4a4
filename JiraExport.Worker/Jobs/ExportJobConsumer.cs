using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Worker.Jobs;

/// <summary>
/// Takes export jobs from <c>jx.exports</c>. Success: ack after the handler committed. A transient failure:
/// the job waits in the next retry queue (growing delay) and the original is acked; when retries are spent the
/// export is marked failed and the message is dead-lettered to the parking queue for an operator.
/// </summary>
public sealed partial class ExportJobConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<ExportJobConsumer> logger) : QueueConsumer(connection, logger)
{
    protected override string QueueName => MessagingTopology.ExportJobsQueue;

    protected override ushort Prefetch => options.Value.ExportPrefetch;

    protected override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var job = JsonSerializer.Deserialize<ExportRequested>(delivery.Body.Span, JsonSerializerOptions.Web);
        if (job is null || !Guid.TryParse(delivery.BasicProperties.MessageId, out var messageId))
        {
            LogMalformed(logger, delivery.BasicProperties.MessageId);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        if (ReadHeader(delivery, "x-delivery-count") >= options.Value.DeliveryLimit)
        {
            // Every earlier delivery ended unsettled: the job crashed or kept failing the Worker. Stop before the
            // queue drops it silently to parking, so the export shows why it failed.
            await ParkAsync(channel, delivery, job, messageId,
                $"The export was given up after {options.Value.DeliveryLimit} attempts that ended without a result; quote export {job.ExportId} to support.",
                cancellationToken);
            return;
        }

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ExportJobHandler>().HandleAsync(job, messageId, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await RetryOrParkAsync(channel, delivery, job, messageId, ex, cancellationToken);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    private async Task RetryOrParkAsync(
        IChannel channel, BasicDeliverEventArgs delivery, ExportRequested job, Guid messageId, Exception failure, CancellationToken cancellationToken)
    {
        var attempt = ReadHeader(delivery, MessagingTopology.AttemptHeader) + 1;
        var delays = options.Value.RetryDelays;
        if (attempt <= delays.Length)
        {
            LogRetrying(logger, job.ExportId, attempt, delays[attempt - 1], failure);
            await publisher.PublishAsync(MessagingTopology.RetryExchange, MessagingTopology.RetryRoutingKey(attempt), messageId,
                delivery.BasicProperties.Type ?? nameof(ExportRequested), delivery.Body,
                new Dictionary<string, object?> { [MessagingTopology.AttemptHeader] = attempt }, parentTraceId: null, cancellationToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            return;
        }

        LogParking(logger, job.ExportId, attempt - 1, failure);
        await ParkAsync(channel, delivery, job, messageId,
            $"The export failed {attempt} times and was given up: {DescribeForUser(failure, job)}", cancellationToken);
    }

    /// <summary>Marks the export failed, then dead-letters the job to the parking queue, where an operator can inspect and replay it.</summary>
    private async Task ParkAsync(
        IChannel channel, BasicDeliverEventArgs delivery, ExportRequested job, Guid messageId, string reason, CancellationToken cancellationToken)
    {
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportJobHandler>().FailAsync(job, messageId, reason, cancellationToken);
        }

        await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
    }

    /// <summary>Jira's own words help the user; an internal error's text (hosts, keys) must not reach them.</summary>
    private static string DescribeForUser(Exception failure, ExportRequested job) => failure switch
    {
        JiraException or ExportFailedException => failure.Message,
        _ => $"an internal error occurred; quote export {job.ExportId} to support.",
    };

    private static int ReadHeader(BasicDeliverEventArgs delivery, string name) =>
        delivery.BasicProperties.Headers?.TryGetValue(name, out var value) == true && value is not null
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped a malformed export job (message id {MessageId})")]
    private static partial void LogMalformed(ILogger logger, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId} failed; retry {Attempt} in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Guid exportId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} failed after {Retries} retries; parked")]
    private static partial void LogParking(ILogger logger, Guid exportId, int retries, Exception exception);
}
