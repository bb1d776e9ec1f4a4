using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using JiraExport.Core.Messaging;
using JiraExport.ServiceDefaults;

namespace JiraExport.Worker.Operations;

/// <summary>
/// Gauges of what is waiting: messages in each work and parking queue, outbox messages not yet published (and the oldest
/// one's age), and the sync lag (how old the stalest scheduled connection's data is). The readings are taken by
/// <see cref="OperationsMetricsService"/>; a scrape only reads the last one, so it never waits on a server.
/// </summary>
public sealed class OperationsMetrics
{
    /// <summary>The queues whose depth is watched: each job queue and where its failures park.</summary>
    public static readonly IReadOnlyList<string> WatchedQueues =
    [
        MessagingTopology.ExportJobsQueue, MessagingTopology.ExportJobsParkingQueue,
        MessagingTopology.BulkJobsQueue, MessagingTopology.BulkJobsParkingQueue,
        MessagingTopology.SyncJobsQueue, MessagingTopology.SyncJobsParkingQueue,
        MessagingTopology.JiraWebhooksQueue, MessagingTopology.JiraWebhooksParkingQueue,
        MessagingTopology.MailQueue, MessagingTopology.MailParkingQueue,
        MessagingTopology.RealtimeQueue, MessagingTopology.UsageQueue,
    ];

    private volatile OperationsReading? _reading;

    public OperationsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Operations);
        meter.CreateObservableGauge("jiraexport.queue.depth", ReadQueueDepths, unit: "{message}",
            description: "Messages ready in a RabbitMQ queue.");
        meter.CreateObservableGauge("jiraexport.outbox.pending", () => Read<long>(r => r.OutboxPending), unit: "{message}",
            description: "Outbox messages not yet published.");
        meter.CreateObservableGauge("jiraexport.outbox.oldest_age", () => Read<double>(r => r.OutboxOldestAge.TotalSeconds), unit: "s",
            description: "Age of the oldest outbox message not yet published (0 when none).");
        meter.CreateObservableGauge("jiraexport.sync.lag", () => Read<double>(r => r.SyncLag.TotalSeconds), unit: "s",
            description: "Age of the stalest scheduled connection's last successful sync.");
        meter.CreateObservableGauge("jiraexport.signing_certificate.expiry", () => Read(r => r.SigningCertificateExpiry?.TotalSeconds), unit: "s",
            description: "Time until the soonest tenant PDF signing certificate expires.");
        meter.CreateObservableGauge("jiraexport.jira_dynamic_webhook.expiry", () => Read(r => r.DynamicWebhookExpiry?.TotalSeconds), unit: "s",
            description: "Time until the soonest Jira dynamic webhook expires (the Worker refreshes them from 20 days left).");
    }

    public void Record(OperationsReading reading) => _reading = reading;

    private IEnumerable<Measurement<T>> Read<T>(Func<OperationsReading, T?> value) where T : struct =>
        _reading is { } reading && value(reading) is { } measured ? [new Measurement<T>(measured)] : [];

    private IEnumerable<Measurement<long>> ReadQueueDepths() =>
        _reading?.QueueDepths.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))) ?? [];
}

/// <summary>
/// One reading of the gauges; a queue that could not be read is left out rather than reported as empty. An expiry is null when there is nothing that expires (and then no gauge is reported).
/// </summary>
public sealed record OperationsReading(
    FrozenDictionary<string, long> QueueDepths,
    long OutboxPending,
    TimeSpan OutboxOldestAge,
    TimeSpan SyncLag,
    TimeSpan? SigningCertificateExpiry,
    TimeSpan? DynamicWebhookExpiry);
