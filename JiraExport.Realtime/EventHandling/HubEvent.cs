using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Realtime.Hubs;

namespace JiraExport.Realtime.EventHandling;

/// <summary>
/// A domain event as the hub message clients receive, the same whether it comes live from <c>jx.events</c> or from the log
/// when a client resumes. Every event goes to its tenant's group, so a tenant's subscriber sees the sequence without a
/// gap; unless the tenant's routing rules say otherwise (<see cref="EventRouting"/>), an export's also to the export's
/// group, an issue's to its project's and its own: its followers.
/// </summary>
/// <param name="Subject">What the event is about, as routing rules match it.</param>
/// <param name="Type">The event's type in the log (<c>export.completed</c>).</param>
/// <param name="Notice">What else goes to followers live (not when a client resumes from the log): an export's state to the
/// groups of the projects it exports.</param>
public sealed record HubEvent(
    EventSubject Subject, string Type, IReadOnlyList<string> FollowerGroups, long Sequence, Func<IExportsClient, Task> SendTo,
    HubNotice? Notice = null)
{
    /// <summary>The groups <paramref name="route"/> sends the event to: the tenant's always, its followers' when routed there.</summary>
    public IReadOnlyList<string> GroupsFor(EventRoute route) =>
        route.ToFollowers ? [HubGroups.Tenant(Subject.TenantId), .. FollowerGroups] : [HubGroups.Tenant(Subject.TenantId)];

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
        var subject = new EventSubject(e.TenantId, ExportEventTypes.Aggregate, e.ExportId, e.ConnectionId, ProjectKeys: e.ProjectKeys);
        return new HubEvent(subject, DomainEventLog.TypeOf(ExportEventTypes.Aggregate, eventName), [HubGroups.Export(e.TenantId, e.ExportId)], e.Sequence, client => eventName switch
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

        var notice = new ProjectExportNotification(e.ExportId, connectionId, projectKeys, e.Status, e.Progress, e.Sequence);
        return new HubNotice(
            [.. projectKeys.Select(key => HubGroups.Project(e.TenantId, connectionId, key))], client => client.projectExport(notice));
    }

    private static HubEvent ForSync(SyncEvent e, string eventName)
    {
        var notification = new SyncNotification(
            e.JobId, e.ConnectionId, e.Status, e.Progress, e.IssuesSeen, e.IssuesWritten, e.Deleted, e.Error, e.Sequence);
        var subject = new EventSubject(e.TenantId, SyncEventTypes.Aggregate, e.JobId, e.ConnectionId);
        return new HubEvent(subject, DomainEventLog.TypeOf(SyncEventTypes.Aggregate, eventName), [], e.Sequence, client => eventName switch
        {
            SyncEventTypes.Completed => client.syncCompleted(notification),
            SyncEventTypes.Failed => client.syncFailed(notification),
            _ => client.syncProgress(notification),
        });
    }

    private static HubEvent ForIssue(IssueEvent e, string eventName)
    {
        var notification = new IssueNotification(e.ConnectionId, e.IssueId, e.Key, e.ProjectKey, e.Summary, e.Updated, e.JiraEvent, e.Sequence);
        string[] followers = [HubGroups.Project(e.TenantId, e.ConnectionId, e.ProjectKey), HubGroups.Issue(e.TenantId, e.ConnectionId, e.Key)];
        var subject = new EventSubject(e.TenantId, IssueEventTypes.Aggregate, e.ConnectionId, e.ConnectionId, ProjectKeys: [e.ProjectKey]);
        return new HubEvent(subject, DomainEventLog.TypeOf(IssueEventTypes.Aggregate, eventName), followers, e.Sequence, client => eventName == IssueEventTypes.Deleted
            ? client.issueDeleted(notification)
            : client.issueChanged(notification));
    }

    private static HubEvent ForHealth(ConnectionHealthChanged e)
    {
        var notification = new ConnectionHealthNotification(e.ConnectionId, e.From, e.To, e.Sequence);
        var subject = new EventSubject(e.TenantId, ConnectionHealthChecker.EventAggregate, e.ConnectionId, e.ConnectionId);
        return new HubEvent(subject, DomainEventLog.TypeOf(ConnectionHealthChecker.EventAggregate, ConnectionHealthChecker.HealthChangedEvent), [],
            e.Sequence, client => client.connectionHealthChanged(notification));
    }
}

/// <summary>A live-only message to <paramref name="Groups"/>.</summary>
public sealed record HubNotice(IReadOnlyList<string> Groups, Func<IExportsClient, Task> SendTo);
