using JiraExport.Core.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Worker.Webhooks;

/// <summary>
/// Takes stored Jira webhook deliveries from <c>jx.jira-webhooks</c> and applies them. Applying is idempotent (a
/// delivery applied once is marked), so a failure simply hands the message back; after the delivery limit it is parked
/// and the delivery stays unprocessed, with its body, for an operator.
/// </summary>
public sealed class JiraWebhookConsumer(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<JiraWebhookConsumer> logger) : QueueConsumer<JiraWebhookReceived>(connection, publisher, options, logger)
{
    protected override string QueueName => MessagingTopology.JiraWebhooksQueue;

    protected override ushort Prefetch => (ushort)Math.Max((int)Messaging.Prefetch, 8);

    protected override async Task<Settlement> HandleAsync(JiraWebhookReceived message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JiraWebhookProcessor>().ApplyAsync(message, cancellationToken);
        return Settlement.Ack;
    }

    protected override string DeliveryLimitReason(JiraWebhookReceived message) =>
        $"Jira webhook delivery {message.DeliveryId} could not be applied after {Messaging.DeliveryLimit} attempts; it stays stored, unprocessed.";
}
