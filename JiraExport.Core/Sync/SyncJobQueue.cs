using JiraExport.Core.Domain;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Sync;

/// <summary>
/// Queues a sync run of a connection — the row and its work message in the caller's transaction (outbox) — unless one
/// is already queued or running, which is then answered instead: repeated triggers collapse into one run. A new run is
/// counted in the tenant's usage here, where it is created.
/// </summary>
public sealed class SyncJobQueue(JiraExportDbContext db, OutboxWriter outbox, Tenancy.UsageRecorder usage, TimeProvider timeProvider)
{
    /// <returns>The run, and whether it was already there.</returns>
    public async Task<(SyncJob Job, bool AlreadyActive)> EnqueueAsync(
        Guid tenantId, Guid connectionId, SyncMode mode, string scopeJql, CancellationToken cancellationToken)
    {
        var active = await db.SyncJobs.AsNoTracking().SingleOrDefaultAsync(
            j => j.ConnectionId == connectionId && (j.Status == SyncJobStatus.Queued || j.Status == SyncJobStatus.Running), cancellationToken);
        if (active is not null)
        {
            return (active, true);
        }

        var job = new SyncJob
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            ConnectionId = connectionId,
            Mode = mode,
            ScopeJql = scopeJql,
            Status = SyncJobStatus.Queued,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        db.SyncJobs.Add(job);
        outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.SyncJobsRoutingKey, new SyncRequested(tenantId, job.Id));
        await usage.RecordSyncRunAsync(cancellationToken);
        return (job, false);
    }
}
