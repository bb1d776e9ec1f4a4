using JiraExport.Core.Domain;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Exports.Bulk;

/// <summary>
/// Takes note that a part of a bulk export finished: raises the parent's progress (an event only on visible steps, so a
/// 1,000-part bulk sends about twenty), and once every part is final queues the packaging job — once, by a flag on the
/// parent set under its row lock. Counting the parts' states makes a repeated notification harmless.
/// </summary>
public sealed class BulkProgress(
    JiraExportDbContext db, TenantContext tenantContext, ExportEventWriter events, OutboxWriter outbox, TimeProvider timeProvider)
{
    /// <summary>Progress the parts make up; packaging takes the rest.</summary>
    public const int PartsShare = 95;

    private const int VisibleStep = 5;

    public Task PartFinishedAsync(BulkExportStep job, CancellationToken cancellationToken)
    {
        tenantContext.Set(job.TenantId);
        return db.InTransactionAsync(async ct =>
        {
            if (await db.LockExportAsync(job.ExportId, ct) is not { Status: ExportStatus.Running, PartCount: { } total } parent
                || parent.PackagingQueuedAt is not null)
            {
                return false;
            }

            var counts = await db.Exports
                .Where(e => e.ParentExportId == parent.Id)
                .GroupBy(e => e.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Status, g => g.Count, ct);
            var succeeded = counts.GetValueOrDefault(ExportStatus.Succeeded);
            var failed = counts.GetValueOrDefault(ExportStatus.Failed) + counts.GetValueOrDefault(ExportStatus.Cancelled);
            var finished = succeeded + failed;
            var summary = failed == 0 ? $"{finished} of {total} documents done" : $"{finished} of {total} documents done, {failed} failed";

            if (finished >= total)
            {
                parent.PackagingQueuedAt = timeProvider.GetUtcNow();
                parent.Progress = PartsShare;
                outbox.EnqueueBulkStep(parent.TenantId, parent.Id, BulkSteps.Package);
                await events.AppendAsync(parent, ExportEventTypes.Progress, $"{summary}; packaging", ct);
            }
            else
            {
                var progress = (int)((long)PartsShare * finished / total);
                if (progress < parent.Progress + VisibleStep)
                {
                    return false;
                }

                parent.Progress = progress;
                await events.AppendAsync(parent, ExportEventTypes.Progress, summary, ct);
            }

            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }
}
