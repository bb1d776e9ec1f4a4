using System.Collections.Frozen;
using JiraExport.Core.Persistence;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace JiraExport.Worker.Operations;

/// <summary>
/// Reads the queue depths (passive declares on a channel of its own), the outbox backlog and the sync lag for
/// <see cref="OperationsMetrics"/>. Every Worker reads the same figures; dashboards and alerts take the max over instances.
/// </summary>
internal sealed partial class OperationsMetricsService(
    IServiceScopeFactory scopes,
    IConnection messaging,
    OperationsMetrics metrics,
    IOptions<OperationsMetricsOptions> options,
    TimeProvider timeProvider,
    ILogger<OperationsMetricsService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var queues = await ReadQueueDepthsAsync(cancellationToken);

        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        var outbox = await db.Database.SqlQuery<OutboxBacklog>($"""
            SELECT count(*) AS "Pending", min(created_at) AS "OldestCreatedAt" FROM outbox_messages WHERE sent_at IS NULL
            """).SingleAsync(cancellationToken);
        var syncLagSeconds = await db.Database.SqlQuery<double>($"""SELECT sync_lag_seconds({now}) AS "Value" """).SingleAsync(cancellationToken);
        var expiries = await db.Database.SqlQuery<Expiries>($"""
            SELECT signing_certificate_seconds AS "SigningCertificateSeconds", dynamic_webhook_seconds AS "DynamicWebhookSeconds"
            FROM operations_expiries({now})
            """).SingleAsync(cancellationToken);

        metrics.Record(new OperationsReading(
            queues,
            outbox.Pending,
            outbox.OldestCreatedAt is { } oldest ? now - oldest : TimeSpan.Zero,
            TimeSpan.FromSeconds(syncLagSeconds),
            expiries.SigningCertificateSeconds is { } certificate ? TimeSpan.FromSeconds(certificate) : null,
            expiries.DynamicWebhookSeconds is { } webhook ? TimeSpan.FromSeconds(webhook) : null));
    }

    private async Task<FrozenDictionary<string, long>> ReadQueueDepthsAsync(CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, long>();
        IChannel? channel = null;
        try
        {
            foreach (var queue in OperationsMetrics.WatchedQueues)
            {
                channel ??= await messaging.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                    depths[queue] = declared.MessageCount;
                }
                catch (OperationInterruptedException ex)
                {
                    // Not declared yet (its service never started): the broker closed the channel; the next queue gets a new one.
                    LogQueueNotRead(logger, queue, ex.Message);
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }

        return depths.ToFrozenDictionary();
    }

    private sealed record OutboxBacklog(long Pending, DateTimeOffset? OldestCreatedAt);

    private sealed record Expiries(double? SigningCertificateSeconds, double? DynamicWebhookSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} not read: {Reason}")]
    private static partial void LogQueueNotRead(ILogger logger, string queue, string reason);
}
