using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Reports;

namespace JiraExport.Core.Webhooks;

/// <summary>
/// The events a webhook subscription can ask for: the ends of exports and sync runs, a connection's health, issues
/// changed or deleted in Jira (as its webhooks tell us), and scheduled reports completed.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>Sent only by <c>POST /webhook-subscriptions/{id}/test</c>.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> All =
    [
        DomainEventLog.TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Completed),
        DomainEventLog.TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Failed),
        DomainEventLog.TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Cancelled),
        DomainEventLog.TypeOf(SyncEventTypes.Aggregate, SyncEventTypes.Completed),
        DomainEventLog.TypeOf(SyncEventTypes.Aggregate, SyncEventTypes.Failed),
        DomainEventLog.TypeOf(ConnectionHealthChecker.EventAggregate, ConnectionHealthChecker.HealthChangedEvent),
        DomainEventLog.TypeOf(IssueEventTypes.Aggregate, IssueEventTypes.Changed),
        DomainEventLog.TypeOf(IssueEventTypes.Aggregate, IssueEventTypes.Deleted),
        DomainEventLog.TypeOf(ReportScheduleEventTypes.Aggregate, ReportScheduleEventTypes.Completed),
    ];
}
