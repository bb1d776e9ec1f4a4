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
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
                var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
                var usage = scope.ServiceProvider.GetRequiredService<UsageRecorder>();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (count > 0)
                {
                    await usage.RecordApiRequestsAsync(count, cancellationToken);
                }

                await usage.RecordPrincipalRequestsAsync([.. byPrincipal.Select(p => (p.Who.PrincipalId, p.Who.Kind, p.Who.Endpoint, p.Count))], cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A purged tenant, or the database away: these requests stay uncounted rather than stop the others.
                LogFlushFailed(logger, tenantId, count, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} API requests of tenant {TenantId}")]
    private static partial void LogFlushFailed(ILogger logger, Guid tenantId, long count, Exception exception);
}
