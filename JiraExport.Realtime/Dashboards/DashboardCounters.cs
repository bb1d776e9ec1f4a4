using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Dashboards;

/// <summary>
/// A tenant's live counters: exports queued and running (bulk parts count in their parent), sync runs queued and running,
/// Jira webhook deliveries received in the last minute, webhook deliveries to its own systems still pending, and, for a
/// caller who may read analytics, where its synced issues stand (<see cref="Flow"/>).
/// </summary>
public sealed record DashboardCounters(
    int ExportsQueued, int ExportsRunning, int SyncsQueued, int SyncsRunning, int JiraWebhooksLastMinute, int WebhookDeliveriesPending,
    FlowCounters? Flow)
{
    /// <summary>What a watcher without <c>analytics:read</c> is sent.</summary>
    public DashboardCounters WithoutFlow() => this with { Flow = null };
}

/// <summary>
/// The tenant's synced issues by Jira's status category (to do, in progress, done) and when the latest of them was written:
/// a dashboard page reads its widgets again when these move. Null for a caller without <c>analytics:read</c>.
/// </summary>
public sealed record FlowCounters(int IssuesToDo, int IssuesInProgress, int IssuesDone, DateTimeOffset? IssuesChangedAt);

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
            // Three buckets whatever categories a Jira sends, read from the index on (tenant, category, synced at).
            var issues = await db.SyncedIssues.GroupBy(i => 1).Select(g => new
            {
                All = g.Count(),
                InProgress = g.Count(i => i.StatusCategory == "indeterminate"),
                Done = g.Count(i => i.StatusCategory == "done"),
                ChangedAt = g.Max(i => (DateTimeOffset?)i.SyncedAt),
            }).SingleOrDefaultAsync(ct);
            return new DashboardCounters(
                exports.SingleOrDefault(e => e.Key == ExportStatus.Queued)?.Count ?? 0,
                exports.SingleOrDefault(e => e.Key == ExportStatus.Running)?.Count ?? 0,
                syncs.SingleOrDefault(j => j.Key == SyncJobStatus.Queued)?.Count ?? 0,
                syncs.SingleOrDefault(j => j.Key == SyncJobStatus.Running)?.Count ?? 0,
                await db.JiraWebhookDeliveries.CountAsync(d => d.ReceivedAt > since, ct),
                await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, ct),
                issues is null ? new FlowCounters(0, 0, 0, null)
                    : new FlowCounters(issues.All - issues.InProgress - issues.Done, issues.InProgress, issues.Done, issues.ChangedAt));
        }, cancellationToken);
}
