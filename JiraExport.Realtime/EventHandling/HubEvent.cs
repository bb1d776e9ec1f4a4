using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Realtime.Hubs;

namespace JiraExport.Realtime.EventHandling;

/// <summary>
/// A domain event as the hub message clients receive, the same whether it comes live from <c>jx.events</c> or from the log
/// when a client resumes. Every event goes to its tenant's group, so a tenant's subscriber sees the sequence without a
/// gap; an export's also to the export's group, an issue's to its project's and its own.
/// </summary>
/// <param name="Notice">What else goes out live (not when a client resumes from the log): an export's state to the groups of
/// the projects it exports.</param>
public sealed record HubEvent(
    IReadOnlyList<string> Groups, Guid AggregateId, long Sequence, Func<IExportsClient, Task> SendTo, HubNotice? Notice = null)
{
    /// <summary>Null for an event clients are not sent.</summary>
    public static HubEvent? Read(string aggregate, string eventName, ReadOnlySpan<byte> payload) => aggregate switch
    {
        ExportEventTypes.Aggregate when Deserialize<ExportEvent>(payload) is { } export => ForExport(export, eventName),
        SyncEventTypes.Aggregate when Deserialize<SyncEvent>(payload) is { } sync => ForSync(sync, eventName),
        IssueEventTypes.Aggregate when Deserialize<IssueEvent>(payload) is { } issue => ForIssue(issue, eventName),
        ConnectionHealthChecker.EventAggregate when Deserialize<ConnectionHealthChanged>(payload) is { } health => ForHealth(health),
        _ => null,
    };

    private static T? Deserialize<T>(ReadOnlySpan<byte> payload) => JsonSerializer.Deserialize<T>(payload, JsonSerializerOptions.Web);

    private static HubEvent ForExport(ExportEvent e, string eventName)
    {
        var notification = new ExportNotification(e.ExportId, e.Status, e.Progress, e.Message, e.Sequence, e.IssueCount, e.FileName, e.SizeBytes);
        return new HubEvent([HubGroups.Tenant(e.TenantId), HubGroups.Export(e.TenantId, e.ExportId)], e.ExportId, e.Sequence, client => eventName switch
        {
            ExportEventTypes.Completed => client.exportCompleted(notification),
            ExportEventTypes.Failed => client.exportFailed(notification),
            ExportEventTypes.Cancelled => client.exportCancelled(notification),
            _ => client.exportProgress(notification),
        }, ProjectExportNotice(e));
    }

    /// <summary>"Someone is exporting this project": to the groups of the projects the export's JQL names.</summary>
    private static HubNotice? ProjectExportNotice(ExportEvent e)
    {
        if (e is not { ConnectionId: { } connectionId, ProjectKeys: { Count: > 0 } projectKeys })
        {
            return null;
        }

        var notice = new ProjectExportNotification(e.ExportId, connectionId, projectKeys, e.Status, e.Progress, e.RequestedBy, e.Sequence);
        return new HubNotice(
            [.. projectKeys.Select(key => HubGroups.Project(e.TenantId, connectionId, key))], client => client.projectExport(notice));
    }

    private static HubEvent ForSync(SyncEvent e, string eventName)
    {
        var notification = new SyncNotification(
            e.JobId, e.ConnectionId, e.Status, e.Progress, e.IssuesSeen, e.IssuesWritten, e.Deleted, e.Error, e.Sequence);
        return new HubEvent([HubGroups.Tenant(e.TenantId)], e.JobId, e.Sequence, client => eventName switch
        {
            SyncEventTypes.Completed => client.syncCompleted(notification),
            SyncEventTypes.Failed => client.syncFailed(notification),
            _ => client.syncProgress(notification),
        });
    }

    private static HubEvent ForIssue(IssueEvent e, string eventName)
    {
        var notification = new IssueNotification(e.ConnectionId, e.IssueId, e.Key, e.ProjectKey, e.Summary, e.Updated, e.JiraEvent, e.Sequence);
        string[] groups =
        [
            HubGroups.Tenant(e.TenantId), HubGroups.Project(e.TenantId, e.ConnectionId, e.ProjectKey), HubGroups.Issue(e.TenantId, e.ConnectionId, e.Key),
        ];
        return new HubEvent(groups, e.ConnectionId, e.Sequence, client => eventName == IssueEventTypes.Deleted
            ? client.issueDeleted(notification)
            : client.issueChanged(notification));
    }

    private static HubEvent ForHealth(ConnectionHealthChanged e)
    {
        var notification = new ConnectionHealthNotification(e.ConnectionId, e.From, e.To, e.Sequence);
        return new HubEvent([HubGroups.Tenant(e.TenantId)], e.ConnectionId, e.Sequence, client => client.connectionHealthChanged(notification));
    }
}

/// <summary>A live-only message to <paramref name="Groups"/>.</summary>
public sealed record HubNotice(IReadOnlyList<string> Groups, Func<IExportsClient, Task> SendTo);
