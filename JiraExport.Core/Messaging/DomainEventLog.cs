using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Reports;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Reading the tenant's log of domain events (<c>domain_events</c>, written by <see cref="DomainEventWriter"/>) in sequence
/// order: <c>GET /events</c> pages it, and a reconnecting Realtime client is sent what it missed from it.
/// </summary>
public static class DomainEventLog
{
    /// <summary>Every event type the log holds, as <c>{aggregate}.{event}</c>.</summary>
    public static readonly IReadOnlyList<string> Types =
    [
        TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Progress),
        TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Completed),
        TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Failed),
        TypeOf(ExportEventTypes.Aggregate, ExportEventTypes.Cancelled),
        TypeOf(SyncEventTypes.Aggregate, SyncEventTypes.Progress),
        TypeOf(SyncEventTypes.Aggregate, SyncEventTypes.Completed),
        TypeOf(SyncEventTypes.Aggregate, SyncEventTypes.Failed),
        TypeOf(ConnectionHealthChecker.EventAggregate, ConnectionHealthChecker.HealthChangedEvent),
        TypeOf(IssueEventTypes.Aggregate, IssueEventTypes.Changed),
        TypeOf(IssueEventTypes.Aggregate, IssueEventTypes.Deleted),
        TypeOf(ReportScheduleEventTypes.Aggregate, ReportScheduleEventTypes.Completed),
    ];

    public static string TypeOf(string aggregate, string eventName) => $"{aggregate}.{eventName}";

    public static string TypeOf(this DomainEvent domainEvent) => TypeOf(domainEvent.Aggregate, domainEvent.Type);

    /// <summary>
    /// The next <paramref name="limit"/> events after <paramref name="sequence"/>, oldest first, of the given types (all
    /// when empty); a walk along the (tenant, sequence) key, so a page costs the same however long the log is.
    /// </summary>
    public static Task<List<DomainEvent>> ReadAfterAsync(
        this IQueryable<DomainEvent> log, long sequence, IReadOnlyCollection<string> types, int limit, CancellationToken cancellationToken)
    {
        var events = log.AsNoTracking().Where(e => e.Sequence > sequence);
        if (types.Count > 0)
        {
            events = events.Where(e => types.Contains(e.Aggregate + "." + e.Type));
        }

        return events.OrderBy(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }
}
