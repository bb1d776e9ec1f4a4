using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Storage;
using JiraExport.Core.Tenancy;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Storage;

/// <summary>
/// Deletes export files whose retention has passed: the export row stays, its status becomes <c>expired</c>, and a
/// download answers 410 Gone. Which exports are due is asked across tenants of a narrow function
/// (<c>exports_past_retention</c>); each is then deleted in its own tenant's transaction, under a row lock, so a round
/// that fails half way or runs on two Workers at once deletes each file once. Kept Idempotency-Key answers past their
/// 24 hours go the same way (<c>tenants_with_expired_idempotent_requests</c>), also those of tenants no longer active.
/// </summary>
internal sealed partial class ExportRetentionService(
    IServiceScopeFactory scopes, IOptions<ExportRetentionOptions> options, TimeProvider timeProvider, ILogger<ExportRetentionService> logger)
    : PeriodicService(timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        List<DueExport> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            due = await db.Database
                .SqlQuery<DueExport>($"SELECT tenant_id AS \"TenantId\", export_id AS \"ExportId\" FROM exports_past_retention({Clock.GetUtcNow()}, {options.Value.BatchSize})")
                .ToListAsync(cancellationToken);
        }

        foreach (var export in due)
        {
            await ExpireAsync(export, cancellationToken);
        }

        await DeleteExpiredIdempotencyKeysAsync(cancellationToken);
    }

    private async Task DeleteExpiredIdempotencyKeysAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        List<Guid> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            tenants = await scope.ServiceProvider.GetRequiredService<JiraExportDbContext>().Database
                .SqlQuery<Guid>($"SELECT tenant_id AS \"Value\" FROM tenants_with_expired_idempotent_requests({now}, {options.Value.BatchSize})")
                .ToListAsync(cancellationToken);
        }

        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.IdempotentRequests.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task ExpireAsync(DueExport due, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(due.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var export = await db.Exports
            .FromSql($"SELECT * FROM exports WHERE id = {due.ExportId} FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        if (export is null || export.Status != ExportStatus.Succeeded || export.ExpiresAt > now)
        {
            return; // Another Worker has it, or the retention was lengthened meanwhile.
        }

        var freed = await scope.ServiceProvider.GetRequiredService<IExportArtifactStore>().DeleteAsync(export.Id, cancellationToken);
        export.Expire();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogExpired(logger, due.TenantId, export.Id, freed);
    }

    private sealed record DueExport(Guid TenantId, Guid ExportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} of tenant {TenantId} expired: its file ({FreedBytes} bytes) was deleted")]
    private static partial void LogExpired(ILogger logger, Guid tenantId, Guid exportId, long freedBytes);
}
