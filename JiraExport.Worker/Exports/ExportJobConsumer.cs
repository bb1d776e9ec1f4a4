using System.Globalization;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Worker.Exports;

/// <summary>
/// Takes export jobs from <c>jx.exports</c>. Success: ack after the handler committed. A transient failure: the job waits
/// in the next retry queue (growing delay), and the export says what it waits for; when retries are spent the export is
/// marked failed and the job is parked for an operator.
/// </summary>
public sealed class ExportJobConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<ExportJobConsumer> logger) : QueueConsumer<ExportRequested>(connection, publisher, options, logger)
{
    protected override string QueueName => MessagingTopology.ExportJobsQueue;

    protected override ushort Prefetch => Messaging.ExportPrefetch;

    protected override async Task<Settlement> HandleAsync(ExportRequested job, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportJobHandler>().HandleAsync(job, delivery.MessageId, cancellationToken);
        return Settlement.Ack;
    }

    protected override async Task<Settlement> OnFailedAsync(ExportRequested job, QueueDelivery delivery, Exception failure, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempt + 1;
        var delays = Messaging.RetryDelays;
        if (attempt > delays.Length)
        {
            return Settlement.Park($"The export failed {attempt} times and was given up: {DescribeForUser(failure, job)}");
        }

        // The export stays running while its job waits in the retry queue: say for what, and how long.
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportJobHandler>().WaitAsync(job,
            $"Waiting {Seconds(delays[attempt - 1])} before retry {attempt} of {delays.Length}: {DescribeForUser(failure, job)}", cancellationToken);
        return Settlement.RetryLater(MessagingTopology.RetryRoutingKey(attempt), attempt);
    }

    protected override string DeliveryLimitReason(ExportRequested job) =>
        $"The export was given up after {Messaging.DeliveryLimit} attempts that ended without a result; quote export {job.ExportId} to support.";

    protected override async Task GiveUpAsync(ExportRequested job, QueueDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportJobHandler>().FailAsync(job, delivery.MessageId, reason, cancellationToken);
    }

    /// <summary>Jira's own words help the user; an internal error's text (hosts, keys) must not reach them.</summary>
    private static string DescribeForUser(Exception failure, ExportRequested job) => failure switch
    {
        JiraException or ExportFailedException => failure.Message,
        _ => $"an internal error occurred; quote export {job.ExportId} to support.",
    };

    private static string Seconds(TimeSpan delay) => delay >= TimeSpan.FromMinutes(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0.#} s");
}
