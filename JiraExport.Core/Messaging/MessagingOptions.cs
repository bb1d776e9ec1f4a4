using System.ComponentModel.DataAnnotations;

namespace JiraExport.Core.Messaging;

public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public static readonly TimeSpan[] DefaultRetryDelays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <summary>
    /// Waits before each retry of a failed job; its length is the number of retries. Empty here and defaulted
    /// after binding, because the configuration binder appends to an array instead of replacing it.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>Deliveries of one message (crashes included) before the queue parks it.</summary>
    [Range(1, 100)]
    public int DeliveryLimit { get; set; } = 5;

    /// <summary>
    /// How long a consumer holds a delivery whose handler finds PostgreSQL or Redis away (a restart, a failover), trying
    /// it again as the store comes back, before the failure counts as the message's own. At most 10 minutes: a delivery
    /// held past RabbitMQ's consumer timeout (30 minutes) would close the consumer's channel.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StoreOutageWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Unacknowledged messages a consumer holds at once.</summary>
    [Range(1, 100)]
    public ushort Prefetch { get; set; } = 2;

    /// <summary>
    /// Export jobs a Worker handles at once. More than the Chromium page pool (which still bounds the renders), so one
    /// job's reads from Jira and the database and its commit overlap another's render: for a bulk of small documents this
    /// took 200 single-issue PDFs from 9.4 to 13.9 documents/s on two cores (eng/bench-bulk.sh).
    /// </summary>
    [Range(1, 100)]
    public ushort ExportPrefetch { get; set; } = 4;

    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(1, 1000)]
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>Publish attempts after which an outbox row is set aside instead of blocking the rows behind it.</summary>
    [Range(1, 10_000)]
    public int OutboxMaxPublishAttempts { get; set; } = 50;
}
