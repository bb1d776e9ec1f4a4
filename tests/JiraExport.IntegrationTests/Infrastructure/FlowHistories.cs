using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>One status change of a fixture issue: Jira's changelog id, when, from which status id to which.</summary>
public sealed record FlowStep(string HistoryId, DateTimeOffset At, string From, string To);

/// <summary>A fixture issue: what the store would hold after a sync of an issue with this history.</summary>
public sealed record FlowHistory(long IssueId, string Key, string Project, string Type, DateTimeOffset Created, string StatusId, params FlowStep[] Steps);

/// <summary>
/// Writes hand-made issue histories straight into a tenant's synced store (as the database owner, around the Api): flow
/// metrics are checked against answers computed by hand, which a seeded simulator's random histories would not give.
/// </summary>
public static class FlowHistories
{
    public const string ToDo = "1";
    public const string InProgress = "3";
    public const string InReview = "4";
    public const string Done = "5";

    /// <summary>The site's statuses as <c>GET /status</c> lists them; no fixture issue ends in In Review, so its category comes from here.</summary>
    public static readonly IReadOnlyList<(string Id, string Name, string Category)> Statuses =
        [(ToDo, "To Do", "new"), (InProgress, "In Progress", "indeterminate"), (InReview, "In Review", "indeterminate"), (Done, "Done", "done")];

    private static DateTimeOffset Nov(int day, int hour = 10) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// November 2026 (the 1st is a Sunday), worked out by hand in <c>FlowMetricsTests</c>. A: a straight run. B: done, reopened, done again. C: created in progress. D: straight from To Do to Done.
    /// E: started, moved back, started again, in progress now. F: started and moved back. G: never started.
    /// H: started in October. I: done, moved back to To Do, done again. J (project ZONE): done at 23:30 UTC on the 30th.
    /// </summary>
    public static readonly FlowHistory[] November =
    [
        new(101, "FLOW-1", "FLOW", "Story", Nov(1, 9), Done,
            new("a1", Nov(2), ToDo, InProgress), new("a2", Nov(4), InProgress, InReview), new("a3", Nov(5), InReview, Done)),
        new(102, "FLOW-2", "FLOW", "Bug", Nov(3, 9), Done,
            new("b1", Nov(3, 12), ToDo, InProgress), new("b2", Nov(6), InProgress, Done), new("b3", Nov(10), Done, InProgress), new("b4", Nov(12), InProgress, Done)),
        new(103, "FLOW-3", "FLOW", "Story", Nov(7, 9), Done, new FlowStep("c1", Nov(9), InProgress, Done)),
        new(104, "FLOW-4", "FLOW", "Story", Nov(8, 9), Done, new FlowStep("d1", Nov(10), ToDo, Done)),
        new(105, "FLOW-5", "FLOW", "Story", Nov(10, 9), InProgress,
            new("e1", Nov(11), ToDo, InProgress), new("e2", Nov(13), InProgress, ToDo), new("e3", Nov(20), ToDo, InProgress)),
        new(106, "FLOW-6", "FLOW", "Bug", Nov(14, 9), ToDo, new("f1", Nov(15), ToDo, InProgress), new("f2", Nov(16), InProgress, ToDo)),
        new(107, "FLOW-7", "FLOW", "Task", Nov(20, 9), ToDo),
        new(108, "FLOW-8", "FLOW", "Story", new(2026, 10, 20, 9, 0, 0, TimeSpan.Zero), Done,
            new("h1", new(2026, 10, 25, 10, 0, 0, TimeSpan.Zero), ToDo, InProgress), new("h2", Nov(3), InProgress, Done)),
        new(109, "FLOW-9", "FLOW", "Story", Nov(1, 9), Done,
            new("i1", Nov(2), ToDo, InProgress), new("i2", Nov(3), InProgress, Done), new("i3", Nov(5), Done, ToDo),
            new("i4", Nov(6), ToDo, InProgress), new("i5", Nov(9), InProgress, Done)),
        new(201, "ZONE-1", "ZONE", "Story", Nov(20, 9), Done, new("j1", Nov(20), ToDo, InProgress), new("j2", new(2026, 11, 30, 23, 30, 0, TimeSpan.Zero), InProgress, Done)),
    ];

    public static async Task LoadAsync(this JiraExportSystem system, TestTenant tenant, IReadOnlyList<FlowHistory> issues, CancellationToken cancellationToken)
    {
        var at = new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["connection"] = tenant.ConnectionId };
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_statuses (tenant_id, connection_id, status_id, name, category, synced_at)
            SELECT @tenant, @connection, s.id, s.name, s.category, now() FROM unnest(@ids, @names, @categories) AS s(id, name, category)
            ON CONFLICT DO NOTHING
            """, new Dictionary<string, object>(at)
        {
            ["ids"] = Statuses.Select(s => s.Id).ToArray(),
            ["names"] = Statuses.Select(s => s.Name).ToArray(),
            ["categories"] = Statuses.Select(s => s.Category).ToArray(),
        }, cancellationToken);

        var status = Statuses.ToDictionary(s => s.Id);
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_issues (tenant_id, connection_id, issue_id, key, project_key, summary, issue_type, status_id, status_name,
                status_category, created, updated, fields, changelog, sync_revision, synced_at)
            SELECT @tenant, @connection, i.id, i.key, i.project, i.key, i.type, i.status, i.status_name, i.category, i.created, i.created,
                '{}'::jsonb, '[]'::jsonb, 1, now()
            FROM unnest(@ids, @keys, @projects, @types, @statuses, @status_names, @categories, @created)
                AS i(id, key, project, type, status, status_name, category, created)
            """, new Dictionary<string, object>(at)
        {
            ["ids"] = issues.Select(i => i.IssueId).ToArray(),
            ["keys"] = issues.Select(i => i.Key).ToArray(),
            ["projects"] = issues.Select(i => i.Project).ToArray(),
            ["types"] = issues.Select(i => i.Type).ToArray(),
            ["statuses"] = issues.Select(i => i.StatusId).ToArray(),
            ["status_names"] = issues.Select(i => status[i.StatusId].Name).ToArray(),
            ["categories"] = issues.Select(i => status[i.StatusId].Category).ToArray(),
            ["created"] = issues.Select(i => i.Created).ToArray(),
        }, cancellationToken);

        var steps = issues.SelectMany(i => i.Steps.Select(s => (i.IssueId, Step: s))).ToList();
        Assert.All(steps, s => Assert.True(status.ContainsKey(s.Step.From) && status.ContainsKey(s.Step.To)));
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_status_transitions (tenant_id, connection_id, issue_id, history_id, at, from_status_id, from_status, to_status_id, to_status)
            SELECT @tenant, @connection, t.issue, t.history, t.at, t.from_id, t.from_name, t.to_id, t.to_name
            FROM unnest(@issues, @histories, @ats, @from_ids, @from_names, @to_ids, @to_names) AS t(issue, history, at, from_id, from_name, to_id, to_name)
            """, new Dictionary<string, object>(at)
        {
            ["issues"] = steps.Select(s => s.IssueId).ToArray(),
            ["histories"] = steps.Select(s => s.Step.HistoryId).ToArray(),
            ["ats"] = steps.Select(s => s.Step.At).ToArray(),
            ["from_ids"] = steps.Select(s => s.Step.From).ToArray(),
            ["from_names"] = steps.Select(s => status[s.Step.From].Name).ToArray(),
            ["to_ids"] = steps.Select(s => s.Step.To).ToArray(),
            ["to_names"] = steps.Select(s => status[s.Step.To].Name).ToArray(),
        }, cancellationToken);
    }
}
