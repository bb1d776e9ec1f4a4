using System.Diagnostics.CodeAnalysis;

namespace JiraExport.Realtime.Hubs;

/// <summary>
/// The methods <see cref="ExportsHub"/> calls on its clients. A method's name is the name on the wire, so these keep the
/// camelCase names clients already listen for (<c>connection.on("exportProgress", …)</c>).
/// </summary>
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The names are the wire names clients subscribe to.")]
public interface IExportsClient
{
    Task exportProgress(ExportNotification notification);

    Task exportCompleted(ExportNotification notification);

    Task exportFailed(ExportNotification notification);

    Task exportCancelled(ExportNotification notification);

    Task syncProgress(SyncNotification notification);

    Task syncCompleted(SyncNotification notification);

    Task syncFailed(SyncNotification notification);

    Task issueChanged(IssueNotification notification);

    Task issueDeleted(IssueNotification notification);

    Task projectExport(ProjectExportNotification notification);

    Task connectionHealthChanged(ConnectionHealthNotification notification);

    Task presenceChanged(PresenceNotification notification);

    Task dashboardCounters(Dashboards.DashboardCounters counters);
}
