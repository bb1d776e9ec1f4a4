using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Sync;

/// <summary>
/// Starts the syncs that schedules call for: a due reconcile runs full, otherwise incremental. Every Worker polls;
/// the schedule row is taken with <c>FOR UPDATE SKIP LOCKED</c> and advanced in the transaction that queues the run, so
/// one run is queued per due time however many Workers there are. A trigger while a run is active collapses into it.
/// </summary>
internal sealed partial class SyncScheduler(
    IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider timeProvider, ILogger<SyncScheduler> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ForEachDueRowAsync(
        $"SELECT tenant_id AS \"TenantId\", connection_id AS \"Id\" FROM sync_schedules_due({Clock.GetUtcNow()}, {BatchSize})",
        StartAsync, cancellationToken);

    private async Task StartAsync(IServiceProvider services, DueRow due, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.SyncSchedules
            .FromSql($"SELECT * FROM sync_schedules WHERE connection_id = {due.Id} FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        var reconcile = schedule?.NextReconcileAt <= now;
        if (schedule is null || (schedule.NextRunAt > now && !reconcile))
        {
            return; // Another Worker has it, or it is no longer due.
        }

        var (job, alreadyActive) = await services.GetRequiredService<SyncJobQueue>().EnqueueAsync(
            schedule.TenantId, schedule.ConnectionId, reconcile ? SyncMode.Full : SyncMode.Incremental, schedule.ScopeJql, cancellationToken);
        if (!alreadyActive)
        {
            schedule.LastJobId = job.Id;
        }

        // Next times count from now, so a Worker that was down does not fire every missed occurrence.
        if (schedule.NextRunAt <= now)
        {
            schedule.NextRunAt = SyncCron.Next(schedule.Cron, schedule.TimeZone, now) ?? DateTimeOffset.MaxValue;
        }

        if (reconcile)
        {
            schedule.NextReconcileAt = SyncCron.Next(schedule.ReconcileCron!, schedule.TimeZone, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogStarted(logger, schedule.ConnectionId, job.Id, job.Mode, alreadyActive);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule of connection {ConnectionId}: sync {JobId} ({Mode}); already active: {AlreadyActive}")]
    private static partial void LogStarted(ILogger logger, Guid connectionId, Guid jobId, SyncMode mode, bool alreadyActive);
}
