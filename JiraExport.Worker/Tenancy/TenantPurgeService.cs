using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using JiraExport.Worker.Extensions;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Tenancy;

/// <summary>
/// Purges the tenants whose deletion is due: every row (the tenant row cascades to all tenant-owned tables, files
/// included), its unsent outbox messages, and the accounts that belonged to it alone. Jobs of the tenant still queued
/// in RabbitMQ find no export when they arrive and are acknowledged without effect.
/// </summary>
internal sealed partial class TenantPurgeService(
    IServiceScopeFactory scopes, IOptions<TenantPurgeOptions> options, TimeProvider timeProvider, ILogger<TenantPurgeService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ForEachDueRowAsync(
        $"SELECT tenant_id AS \"TenantId\", tenant_id AS \"Id\" FROM tenants_due_for_purge()", PurgeAsync, cancellationToken);

    private async Task PurgeAsync(IServiceProvider services, DueRow due, CancellationToken cancellationToken)
    {
        var tenantId = due.TenantId;
        var db = services.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var members = await db.TenantMemberships.Select(m => m.UserId).ToListAsync(cancellationToken);
        // Events route as "{tenantId:N}.…" (MessagingTopology.EventRoutingKey); jobs carry the tenant in their payload.
        var outbox = await db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages
            WHERE sent_at IS NULL AND (routing_key LIKE {tenantId.ToString("N") + ".%"} OR payload ->> 'tenantId' = {tenantId.ToString()})
            """, cancellationToken);
        var tenants = await db.Tenants.ExecuteDeleteAsync(cancellationToken);
        // Kept Idempotency-Key answers have no foreign key to the tenant (the platform admin's belong to none).
        await db.IdempotentRequests.ExecuteDeleteAsync(cancellationToken);

        // Single sign-on links to this tenant's providers go too, also those of accounts that stay in other tenants.
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM user_logins WHERE login_provider = ANY ({SsoLoginProviders.OfTenant(tenantId)})", cancellationToken);

        // Accounts that belonged to this tenant alone go too; find_memberships sees every tenant, not only this one.
        var accounts = 0;
        foreach (var userId in members)
        {
            var elsewhere = await db.Database
                .SqlQuery<Guid>($"SELECT tenant_id AS \"Value\" FROM find_memberships({userId})")
                .AnyAsync(cancellationToken);
            if (!elsewhere)
            {
                accounts += await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        LogPurged(logger, tenantId, tenants, outbox, accounts);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Purged tenant {TenantId}: {Tenants} tenant row with everything it owns, {Outbox} unsent messages, {Accounts} accounts")]
    private static partial void LogPurged(ILogger logger, Guid tenantId, int tenants, int outbox, int accounts);
}
