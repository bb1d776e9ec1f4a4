using JiraExport.Core.Tenancy;
using JiraExport.Realtime.Extensions;
using JiraExport.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace JiraExport.Realtime.Dashboards;

/// <summary>
/// Every <c>Realtime:DashboardInterval</c> (2 s), reads the counters of each tenant someone on this instance watches and
/// sends <c>dashboardCounters</c> to those watchers when they changed. A watcher that joins gets the counters from its
/// subscription's answer; one whose counters did not change is sent nothing.
/// </summary>
public sealed partial class DashboardPublisher(
    DashboardWatchers watchers,
    IServiceScopeFactory scopes,
    IHubContext<ExportsHub, IExportsClient> hub,
    IOptions<RealtimeOptions> options,
    TimeProvider timeProvider,
    ILogger<DashboardPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DashboardInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var watched = watchers.Snapshot();
            foreach (var (tenantId, analytics, others) in watched)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
                    var counters = await scope.ServiceProvider.GetRequiredService<DashboardCounterReader>().ReadAsync(stoppingToken);
                    var last = watchers.Latest(tenantId);
                    watchers.Read(tenantId, counters);
                    if (analytics.Count > 0 && last != counters)
                    {
                        await hub.Clients.Clients(analytics).dashboardCounters(counters);
                    }

                    // A watcher without analytics:read is sent the counters without the flow ones, and only when those moved:
                    // when the issues alone move, it hears nothing.
                    if (others.Count > 0 && last?.WithoutFlow() != counters.WithoutFlow())
                    {
                        await hub.Clients.Clients(others).dashboardCounters(counters.WithoutFlow());
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, tenantId, ex);
                }
            }

            // Tenants no one watches any more are forgotten, so a new watcher's tenant is read afresh.
            watchers.ForgetUnwatched(watched.Select(w => w.TenantId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the dashboard counters of tenant {TenantId}; the next round tries again")]
    private static partial void LogFailed(ILogger logger, Guid tenantId, Exception exception);
}
