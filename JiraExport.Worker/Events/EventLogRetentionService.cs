using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Events;

/// <summary>
/// Prunes each tenant's event log of events past <see cref="EventLogOptions.Retention"/>, and the settled webhook deliveries
/// (copies of those events) and the tombstones of deleted issues (made with their <c>issue.deleted</c> events) of the same age. Which tenants have such events is
/// asked across tenants of a narrow function (<c>tenants_with_events_before</c>); each tenant's are deleted in its own
/// transaction. A page of <c>GET /events</c> that starts after a gap in sequences shows a client what was pruned.
/// </summary>
internal sealed partial class EventLogRetentionService(
    IServiceScopeFactory scopes, IOptions<EventLogOptions> options, TimeProvider timeProvider, ILogger<EventLogRetentionService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var before = Clock.GetUtcNow() - options.Value.Retention;
        await ForEachDueRowAsync(
            $"SELECT tenant_id AS \"TenantId\", tenant_id AS \"Id\" FROM tenants_with_events_before({before}, {options.Value.BatchSize})",
            async (services, due, ct) =>
            {
                var db = services.GetRequiredService<JiraExportDbContext>();
                var (events, deliveries) = await db.InTransactionAsync(async t =>
                {
                    await db.JiraIssueTombstones.Where(s => s.DeletedAt < before).ExecuteDeleteAsync(t);
                    return (
                        await db.DomainEvents.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(t),
                        await db.WebhookDeliveries.Where(d => d.CreatedAt < before && d.Status != WebhookDeliveryStatus.Pending).ExecuteDeleteAsync(t));
                }, ct);
                LogPruned(logger, due.TenantId, events, deliveries);
            },
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId}: pruned {Events} events and {Deliveries} settled webhook deliveries older than the retention")]
    private static partial void LogPruned(ILogger logger, Guid tenantId, int events, int deliveries);
}
