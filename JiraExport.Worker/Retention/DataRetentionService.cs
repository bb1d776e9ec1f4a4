using JiraExport.Core.Persistence;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Retention;

/// <summary>
/// Deletes each tenant's processed Jira deliveries, security events and usage days past their retention
/// (<see cref="DataRetentionOptions"/>). Which tenants have any is asked across tenants of a narrow function
/// (<c>tenants_with_data_past_retention</c>); each tenant's rows are deleted in its own transaction, under row-level
/// security. A delivery not yet processed is never deleted: it still has work to do.
/// </summary>
internal sealed partial class DataRetentionService(
    IServiceScopeFactory scopes, IOptions<DataRetentionOptions> options, TimeProvider timeProvider, ILogger<DataRetentionService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var settings = options.Value;
        var deliveriesBefore = now - settings.JiraWebhookDeliveries;
        var securityEventsBefore = now - settings.SecurityEvents;
        var tenantUsageBefore = DateOnly.FromDateTime((now - settings.TenantUsage).UtcDateTime);
        var principalUsageBefore = DateOnly.FromDateTime((now - settings.PrincipalUsage).UtcDateTime);
        await ForEachDueRowAsync(
            $"""
            SELECT tenant_id AS "TenantId", tenant_id AS "Id" FROM tenants_with_data_past_retention(
                {deliveriesBefore}, {securityEventsBefore}, {tenantUsageBefore}, {principalUsageBefore}, {settings.TenantsPerRound})
            """,
            async (services, due, ct) =>
            {
                var db = services.GetRequiredService<JiraExportDbContext>();
                var pruned = await db.InTransactionAsync(async t => new PrunedRows(
                    await db.JiraWebhookDeliveries.Where(d => d.ReceivedAt < deliveriesBefore && d.ProcessedAt != null).ExecuteDeleteAsync(t),
                    await db.SecurityEvents.Where(e => e.OccurredAt < securityEventsBefore).ExecuteDeleteAsync(t),
                    await db.TenantUsageDays.Where(u => u.Day < tenantUsageBefore).ExecuteDeleteAsync(t),
                    await db.PrincipalUsageDays.Where(u => u.Day < principalUsageBefore).ExecuteDeleteAsync(t)), ct);
                LogPruned(logger, due.TenantId, pruned);
            },
            cancellationToken);
    }

    private sealed record PrunedRows(int JiraWebhookDeliveries, int SecurityEvents, int TenantUsageDays, int PrincipalUsageDays);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId}: pruned past their retention {Pruned}")]
    private static partial void LogPruned(ILogger logger, Guid tenantId, PrunedRows pruned);
}
