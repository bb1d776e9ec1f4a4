using System.Text;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Publishes committed outbox rows with publisher confirms and marks them sent. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> so several Worker instances share the work; a crash between publish and
/// mark re-sends, which consumers absorb through their inbox.
/// </summary>
public sealed partial class OutboxRelay(
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await RelayBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(logger, ex);
                published = 0;
            }

            if (published < options.Value.OutboxBatchSize)
            {
                await Task.Delay(options.Value.OutboxPollInterval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Publishes one batch in creation order; stops at the first failure so order holds. A row that keeps failing
    /// is set aside after <see cref="MessagingOptions.OutboxMaxPublishAttempts"/> tries (it stays in the table with
    /// its last error) so it cannot hold back every message behind it.
    /// </summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var batch = await db.OutboxMessages
            .FromSql($"""
                SELECT * FROM outbox_messages
                WHERE sent_at IS NULL AND publish_attempts < {options.Value.OutboxMaxPublishAttempts}
                ORDER BY created_at, id LIMIT {options.Value.OutboxBatchSize} FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);

        var published = 0;
        foreach (var message in batch)
        {
            try
            {
                await publisher.PublishAsync(message.Exchange, message.RoutingKey, message.Id, message.Type,
                    Encoding.UTF8.GetBytes(message.Payload), headers: null, message.TraceParent, cancellationToken);
                message.SentAt = timeProvider.GetUtcNow();
                published++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                message.PublishAttempts++;
                message.LastError = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
                if (message.PublishAttempts >= options.Value.OutboxMaxPublishAttempts)
                {
                    LogSetAside(logger, message.Id, message.Exchange, message.RoutingKey, message.PublishAttempts, ex);
                }
                else
                {
                    LogPublishFailed(logger, message.Id, message.Exchange, message.RoutingKey, ex);
                }

                break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return published;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox relay failed; retrying")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} to {Exchange}/{RoutingKey} failed {Attempts} times and is set aside; fix the cause and reset publish_attempts to resend it")]
    private static partial void LogSetAside(ILogger logger, Guid messageId, string exchange, string routingKey, int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox message {MessageId} to {Exchange}/{RoutingKey} failed; it stays queued")]
    private static partial void LogPublishFailed(ILogger logger, Guid messageId, string exchange, string routingKey, Exception exception);
}
