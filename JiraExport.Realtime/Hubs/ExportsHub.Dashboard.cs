using JiraExport.Core.Identity;
using JiraExport.Realtime.Dashboards;

namespace JiraExport.Realtime.Hubs;

/// <summary>Live counters for a dashboard: what runs and waits, how fast Jira's webhooks arrive, and where the issues stand.</summary>
public sealed partial class ExportsHub
{
    /// <summary>
    /// Answers the counters now; <c>dashboardCounters</c> follows whenever they change (checked every 2 s). The flow
    /// counters are sent only to a caller with <c>analytics:read</c>; for others they are null.
    /// </summary>
    public async Task<DashboardCounters> SubscribeToDashboard()
    {
        tenantContext.Set(CallerTenant());
        var readsAnalytics = Context.User!.HasScope(Scopes.AnalyticsRead);
        dashboardWatchers.Add(CallerTenant(), Context.ConnectionId, readsAnalytics);
        // The publisher's last reading when there is one, so subscribing again and again does not read again. Before its
        // first round, the first subscriber's reading stands for it (never one the publisher made meanwhile), so the
        // publisher pushes only what changes after that.
        var counters = dashboardWatchers.Latest(CallerTenant())
                       ?? dashboardWatchers.FirstReading(CallerTenant(), await dashboardCounters.ReadAsync(Context.ConnectionAborted));
        return readsAnalytics ? counters : counters.WithoutFlow();
    }

    public void UnsubscribeFromDashboard() => dashboardWatchers.Remove(CallerTenant(), Context.ConnectionId);
}
