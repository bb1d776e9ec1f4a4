using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;

namespace JiraExport.Api.Quotas;

/// <summary>
/// Moves the tallied API requests into each tenant's durable usage row (and a usage event) and its rows per person and
/// endpoint, every few seconds and once more at shutdown; a crash loses at most one interval of counts.
/// </summary>
public sealed partial class UsageFlushService(
    ApiRequestTally tally, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<UsageFlushService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue("Usage:FlushInterval", TimeSpan.FromSeconds(10)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (tenantId, count, byPrincipal) in tally.TakeAll())
        {
            // Billing first, each in its own transaction: a failure of the per-person rows never loses the billed count.
            if (count > 0)
            {
                await RecordAsync(tenantId, (usage, ct) => usage.RecordApiRequestsAsync(count, ct), cancellationToken);
            }

            await RecordAsync(tenantId, (usage, ct) => usage.RecordPrincipalRequestsAsync(
                [.. byPrincipal.Select(p => (p.Who.PrincipalId, p.Who.Kind, p.Who.Endpoint, p.Count))], ct), cancellationToken);
        }
    }

    private async Task RecordAsync(Guid tenantId, Func<UsageRecorder, CancellationToken, Task> record, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await record(scope.ServiceProvider.GetRequiredService<UsageRecorder>(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A purged tenant, or the database away: these counts are lost rather than stop the other tenants'.
            LogFlushFailed(logger, tenantId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the API requests of tenant {TenantId}")]
    private static partial void LogFlushFailed(ILogger logger, Guid tenantId, Exception exception);
}
