using RabbitMQ.Client;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Every exchange and queue JiraExport uses. Each service declares, idempotently at start, the part it uses.
/// Export jobs: <c>jx.work</c> → quorum queue <c>jx.exports</c> (delivery limit, dead-letters to parking);
/// a failed attempt waits in <c>jx.exports.retry.N</c> (TTL) and returns to <c>jx.work</c>; after the last
/// retry it lands in <c>jx.exports.parking</c> for an operator.
/// </summary>
public static class MessagingTopology
{
    public const string EventsExchange = "jx.events";
    public const string WorkExchange = "jx.work";
    public const string RetryExchange = "jx.retry";
    public const string ParkingExchange = "jx.parking";

    public const string ExportJobsRoutingKey = "exports";
    public const string ExportJobsQueue = "jx.exports";
    public const string ExportJobsParkingQueue = "jx.exports.parking";
    public const string RealtimeQueue = "jx.realtime";

    /// <summary>Bulk export steps (plan, part finished, package): <c>jx.work</c> → quorum queue <c>jx.bulk</c>, parking <c>jx.bulk.parking</c>.</summary>
    public const string BulkJobsRoutingKey = "bulk";
    public const string BulkJobsQueue = "jx.bulk";
    public const string BulkJobsParkingQueue = "jx.bulk.parking";

    public const string SyncJobsRoutingKey = "sync";
    public const string SyncJobsQueue = "jx.sync";
    public const string SyncJobsParkingQueue = "jx.sync.parking";

    /// <summary>Mails to people (invitations, verifications): <c>jx.work</c> → quorum queue <c>jx.mail</c>, parking <c>jx.mail.parking</c>.</summary>
    public const string JiraWebhooksRoutingKey = "jira-webhooks";
    public const string JiraWebhooksQueue = "jx.jira-webhooks";
    public const string JiraWebhooksParkingQueue = "jx.jira-webhooks.parking";

    public const string MailRoutingKey = "mail";
    public const string MailQueue = "jx.mail";
    public const string MailParkingQueue = "jx.mail.parking";

    /// <summary>Where a sync waits its tenant's turn: a few seconds (TTL), then back to <c>jx.sync</c>.</summary>
    public const string SyncWaitQueue = "jx.sync.wait";
    public const string SyncWaitRoutingKey = "sync.wait";

    // A constant, not an option: every Worker declares this queue and must declare it identically.
    private const int SyncWaitMilliseconds = 2000;

    /// <summary>Where usage events wait for the billing system (see <see cref="UsageRecorded"/>).</summary>
    public const string UsageQueue = "jx.usage";

    private const int RealtimeDeliveryLimit = 5;

    /// <summary>Header counting how many times a job was handed back for a retry.</summary>
    public const string AttemptHeader = "x-jx-attempt";

    public static string RetryQueue(int attempt) => $"{ExportJobsQueue}.retry.{attempt}";

    public static string RetryRoutingKey(int attempt) => $"{ExportJobsRoutingKey}.retry.{attempt}";

    /// <summary>Routing key on <see cref="EventsExchange"/>: <c>{tenantId}.{aggregate}.{event}</c>.</summary>
    public static string EventRoutingKey(Guid tenantId, string aggregate, string eventName) => $"{tenantId:N}.{aggregate}.{eventName}";

    /// <summary>
    /// What the Worker consumes and publishes: the export and sync job queues with their retries and parking, and the events
    /// side too — events are published mandatory, so the Realtime queue must exist even before Realtime first starts.
    /// </summary>
    public static async Task DeclareWorkerQueuesAsync(IChannel channel, MessagingOptions options, CancellationToken cancellationToken)
    {
        await DeclareRealtimeAsync(channel, options, cancellationToken);
        await channel.QueueDeclareAsync(UsageQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(UsageQueue, EventsExchange, $"*.{UsageKinds.Aggregate}.#", cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(WorkExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(RetryExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(ParkingExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);

        await channel.QueueDeclareAsync(ExportJobsQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            // Explicit: RabbitMQ 4 silently drops a message after 20 deliveries when no limit is set.
            ["x-delivery-limit"] = options.DeliveryLimit,
            ["x-dead-letter-exchange"] = ParkingExchange,
            ["x-dead-letter-routing-key"] = ExportJobsRoutingKey,
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(ExportJobsQueue, WorkExchange, ExportJobsRoutingKey, cancellationToken: cancellationToken);

        await channel.QueueDeclareAsync(ExportJobsParkingQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(ExportJobsParkingQueue, ParkingExchange, ExportJobsRoutingKey, cancellationToken: cancellationToken);

        await DeclareSyncJobsAsync(channel, options, cancellationToken);
        await DeclareBulkJobsAsync(channel, options, cancellationToken);
        await DeclareWorkQueueAsync(channel, MailQueue, MailParkingQueue, MailRoutingKey, options, cancellationToken);
        await DeclareWorkQueueAsync(channel, JiraWebhooksQueue, JiraWebhooksParkingQueue, JiraWebhooksRoutingKey, options, cancellationToken);

        for (var attempt = 1; attempt <= options.RetryDelays.Length; attempt++)
        {
            await channel.QueueDeclareAsync(RetryQueue(attempt), durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
            {
                ["x-message-ttl"] = (int)options.RetryDelays[attempt - 1].TotalMilliseconds,
                ["x-dead-letter-exchange"] = WorkExchange,
                ["x-dead-letter-routing-key"] = ExportJobsRoutingKey,
            }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(RetryQueue(attempt), RetryExchange, RetryRoutingKey(attempt), cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Sync jobs: <c>jx.work</c> → quorum queue <c>jx.sync</c>. A run keeps its checkpoint in PostgreSQL, so a job
    /// that dies with its Worker is simply delivered again; after the delivery limit it is parked.
    /// </summary>
    private static async Task DeclareSyncJobsAsync(IChannel channel, MessagingOptions options, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(SyncJobsQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-delivery-limit"] = options.DeliveryLimit,
            ["x-dead-letter-exchange"] = ParkingExchange,
            ["x-dead-letter-routing-key"] = SyncJobsRoutingKey,
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(SyncJobsQueue, WorkExchange, SyncJobsRoutingKey, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(SyncJobsParkingQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(SyncJobsParkingQueue, ParkingExchange, SyncJobsRoutingKey, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(SyncWaitQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-message-ttl"] = SyncWaitMilliseconds,
            ["x-dead-letter-exchange"] = WorkExchange,
            ["x-dead-letter-routing-key"] = SyncJobsRoutingKey,
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(SyncWaitQueue, RetryExchange, SyncWaitRoutingKey, cancellationToken: cancellationToken);
    }

    private static Task DeclareBulkJobsAsync(IChannel channel, MessagingOptions options, CancellationToken cancellationToken) =>
        DeclareWorkQueueAsync(channel, BulkJobsQueue, BulkJobsParkingQueue, BulkJobsRoutingKey, options, cancellationToken);

    /// <summary>A quorum work queue on <c>jx.work</c> with a delivery limit, dead-lettering to its parking queue.</summary>
    private static async Task DeclareWorkQueueAsync(
        IChannel channel, string queue, string parkingQueue, string routingKey, MessagingOptions options, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-delivery-limit"] = options.DeliveryLimit,
            ["x-dead-letter-exchange"] = ParkingExchange,
            ["x-dead-letter-routing-key"] = routingKey,
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, WorkExchange, routingKey, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(parkingQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(parkingQueue, ParkingExchange, routingKey, cancellationToken: cancellationToken);
    }

    /// <summary>What Realtime consumes: every domain event, from one queue shared by all Realtime instances.</summary>
    public static async Task DeclareRealtimeAsync(IChannel channel, MessagingOptions options, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(EventsExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);

        // One shared queue for Realtime: any instance may take an event, the Redis backplane fans it out.
        await channel.QueueDeclareAsync(RealtimeQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            // A constant, not an option: two services declare this queue and must declare it identically.
            ["x-delivery-limit"] = RealtimeDeliveryLimit,
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(RealtimeQueue, EventsExchange, "#", cancellationToken: cancellationToken);
    }
}
