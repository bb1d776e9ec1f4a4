using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.ReportSchedules;

/// <summary>
/// Starts the scheduled reports that are due. Every Worker polls; the schedule row is taken with <c>FOR UPDATE SKIP
/// LOCKED</c> and advanced in the transaction that starts the run, and a run is unique per (schedule, due time), so one
/// report is made per occurrence however many Workers there are. A Worker that was down does not make up missed ones.
/// </summary>
internal sealed partial class ReportScheduler(
    IServiceScopeFactory scopes, IOptions<ScheduledReportOptions> options, TimeProvider timeProvider, ILogger<ReportScheduler> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ForEachDueRowAsync(
        $"SELECT tenant_id AS \"TenantId\", schedule_id AS \"Id\" FROM report_schedules_due({Clock.GetUtcNow()}, {BatchSize})",
        StartAsync, cancellationToken);

    private async Task StartAsync(IServiceProvider services, DueRow due, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.ReportSchedules
            .FromSql($"SELECT * FROM report_schedules WHERE id = {due.Id} FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        if (schedule is null || schedule.NextRunAt > now || schedule.Paused)
        {
            return; // Another Worker has it, or it is no longer due, or it was paused since it was listed.
        }

        var run = await services.GetRequiredService<ScheduledReports>().StartAsync(schedule, schedule.NextRunAt, cancellationToken);
        schedule.NextRunAt = ScheduledReports.NextRunAt(schedule, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogStarted(logger, schedule.Id, run.Id, run.ExportId, run.DueAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report schedule {ScheduleId}: run {RunId} (export {ExportId}) for {DueAt}")]
    private static partial void LogStarted(ILogger logger, Guid scheduleId, Guid runId, Guid? exportId, DateTimeOffset dueAt);
}
