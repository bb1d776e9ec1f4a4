using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;

namespace JiraExport.Worker.Exports.Bulk;

/// <summary>Fails a bulk export with a reason a person can act on, from whichever step gave up.</summary>
public sealed partial class BulkParentUpdates(
    JiraExportDbContext db, ExportEventWriter events, TimeProvider timeProvider, ILogger<BulkParentUpdates> logger)
{
    /// <summary>
    /// Marks the bulk export failed with a reason a person can act on and cancels its unfinished parts (their jobs are then
    /// skipped); records <paramref name="messageId"/> as processed by <paramref name="consumer"/> when given.
    /// </summary>
    public Task FailAsync(Guid parentId, Guid? messageId, string consumer, string reason, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var now = timeProvider.GetUtcNow();
            if (await db.LockExportAsync(parentId, ct) is { IsFinished: false } parent)
            {
                parent.Fail(reason, now);
                await db.CancelUnfinishedPartsAsync(parent.Id, now, ct);
                await events.AppendAsync(parent, ExportEventTypes.Failed, parent.Error, ct);
                LogFailed(logger, parent.Id, parent.Error);
            }

            if (messageId is { } id && !await db.HasProcessedAsync(id, consumer, ct))
            {
                db.MarkProcessed(id, consumer, now);
            }

            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk export {ExportId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid exportId, string reason);
}
