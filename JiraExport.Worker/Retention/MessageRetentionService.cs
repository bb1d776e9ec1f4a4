using JiraExport.Core.Persistence;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Retention;

/// <summary>
/// Keeps the messaging tables from growing without bound: sent outbox messages and inbox records older than
/// <see cref="MessageRetentionOptions.Retention"/> are deleted in batches. An outbox message not yet sent (or set aside
/// after its publish attempts) is never deleted: it still has to go, or someone has to look at it.
/// </summary>
internal sealed partial class MessageRetentionService(
    IServiceScopeFactory scopes, IOptions<MessageRetentionOptions> options, TimeProvider timeProvider, ILogger<MessageRetentionService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var before = Clock.GetUtcNow() - options.Value.Retention;
        var batch = options.Value.BatchSize;
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        var outbox = await DeleteInBatchesAsync(
            () => db.Database.ExecuteSqlAsync($"""
                DELETE FROM outbox_messages WHERE id IN (
                    SELECT id FROM outbox_messages WHERE sent_at < {before} LIMIT {batch})
                """, cancellationToken), batch);
        var inbox = await DeleteInBatchesAsync(
            () => db.Database.ExecuteSqlAsync($"""
                DELETE FROM inbox_messages WHERE (message_id, consumer) IN (
                    SELECT message_id, consumer FROM inbox_messages WHERE processed_at < {before} LIMIT {batch})
                """, cancellationToken), batch);
        if (outbox + inbox > 0)
        {
            LogPruned(logger, outbox, inbox, before);
        }
    }

    private static async Task<int> DeleteInBatchesAsync(Func<Task<int>> deleteBatch, int batch)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted == batch);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Outbox} sent outbox messages and {Inbox} inbox records from before {Before}")]
    private static partial void LogPruned(ILogger logger, int outbox, int inbox, DateTimeOffset before);
}
