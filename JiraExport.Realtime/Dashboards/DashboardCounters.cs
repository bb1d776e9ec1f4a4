using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Dashboards;

/// <summary>
/// A tenant's live counters: exports queued and running (bulk parts count in their parent), sync runs queued and running,
/// Jira webhook deliveries received in the last minute, and webhook deliveries to its own systems still pending.
/// </summary>
public sealed record DashboardCounters(
    int ExportsQueued, int ExportsRunning, int SyncsQueued, int SyncsRunning, int JiraWebhooksLastMinute, int WebhookDeliveriesPending);

/// <summary>Reads the counters of the tenant set on the scope, in one transaction (row-level security applies).</summary>
public sealed class DashboardCounterReader(JiraExportDbContext db, TimeProvider timeProvider)
{
    public Task<DashboardCounters> ReadAsync(CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var since = timeProvider.GetUtcNow().AddMinutes(-1);
            var exports = await db.Exports.Where(e => e.ParentExportId == null && (e.Status == ExportStatus.Queued || e.Status == ExportStatus.Running))
                .GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            var syncs = await db.SyncJobs.Where(j => j.Status == SyncJobStatus.Queued || j.Status == SyncJobStatus.Running)
                .GroupBy(j => j.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            return new DashboardCounters(
                exports.SingleOrDefault(e => e.Key == ExportStatus.Queued)?.Count ?? 0,
                exports.SingleOrDefault(e => e.Key == ExportStatus.Running)?.Count ?? 0,
                syncs.SingleOrDefault(j => j.Key == SyncJobStatus.Queued)?.Count ?? 0,
                syncs.SingleOrDefault(j => j.Key == SyncJobStatus.Running)?.Count ?? 0,
                await db.JiraWebhookDeliveries.CountAsync(d => d.ReceivedAt > since, ct),
                await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, ct));
        }, cancellationToken);
}
