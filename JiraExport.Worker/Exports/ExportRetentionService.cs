using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Storage;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Exports;

/// <summary>
/// Deletes export files whose retention has passed: the export row stays, its status becomes <c>expired</c>, and a
/// download answers 410 Gone. Which exports are due is asked across tenants of a narrow function
/// (<c>exports_past_retention</c>); each is then deleted in its own tenant's transaction, under a row lock, so a round
/// that fails half way or runs on two Workers at once deletes each file once. Kept Idempotency-Key answers past their
/// 24 hours go the same way (<c>tenants_with_expired_idempotent_requests</c>), also those of tenants no longer active.
/// </summary>
internal sealed partial class ExportRetentionService(
    IServiceScopeFactory scopes, IOptions<ExportRetentionOptions> options, TimeProvider timeProvider, ILogger<ExportRetentionService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await ForEachDueRowAsync(
            $"SELECT tenant_id AS \"TenantId\", export_id AS \"Id\" FROM exports_past_retention({Clock.GetUtcNow()}, {options.Value.BatchSize})",
            ExpireAsync, cancellationToken);

        var now = Clock.GetUtcNow();
        await ForEachDueRowAsync(
            $"SELECT tenant_id AS \"TenantId\", tenant_id AS \"Id\" FROM tenants_with_expired_idempotent_requests({now}, {options.Value.BatchSize})",
            async (services, _, ct) =>
            {
                var db = services.GetRequiredService<JiraExportDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.IdempotentRequests.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(ct);
                await transaction.CommitAsync(ct);
            },
            cancellationToken);
    }

    private async Task ExpireAsync(IServiceProvider services, DueRow due, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var export = await db.Exports
            .FromSql($"SELECT * FROM exports WHERE id = {due.Id} FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        if (export is null || export.Status != ExportStatus.Succeeded || export.ExpiresAt > now)
        {
            return; // Another Worker has it, or the retention was lengthened meanwhile.
        }

        var freed = await services.GetRequiredService<IExportArtifactStore>().DeleteAsync(export.Id, cancellationToken);
        export.Expire();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogExpired(logger, due.TenantId, export.Id, freed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} of tenant {TenantId} expired: its file ({FreedBytes} bytes) was deleted")]
    private static partial void LogExpired(ILogger logger, Guid tenantId, Guid exportId, long freedBytes);
}
