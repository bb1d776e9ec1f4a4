using JiraExport.Realtime.Dashboards;

namespace JiraExport.Realtime.Hubs;

/// <summary>Live counters for a dashboard: what runs and waits, and how fast Jira's webhooks arrive.</summary>
public sealed partial class ExportsHub
{
    /// <summary>Answers the counters now; <c>dashboardCounters</c> follows whenever they change (checked every 2 s).</summary>
    public async Task<DashboardCounters> SubscribeToDashboard()
    {
        tenantContext.Set(CallerTenant());
        dashboardWatchers.Add(CallerTenant(), Context.ConnectionId);
        return await dashboardCounters.ReadAsync(Context.ConnectionAborted);
    }

    public void UnsubscribeFromDashboard() => dashboardWatchers.Remove(CallerTenant(), Context.ConnectionId);
}
