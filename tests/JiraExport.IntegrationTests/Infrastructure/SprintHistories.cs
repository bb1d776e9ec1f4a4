using System.Text.Json;
using static JiraExport.IntegrationTests.Infrastructure.FlowHistories;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>One change of a fixture issue's Sprint field, as Jira logs it: the sprint names before and after.</summary>
public sealed record SprintMove(DateTimeOffset At, string From, string To);

/// <summary>A fixture issue with its sprints now and its Sprint field's history.</summary>
public sealed record SprintHistory(FlowHistory Issue, long[] SprintsNow, params SprintMove[] Moves);

/// <summary>
/// Two closed sprints and a future one of board 7 in November 2026, and issues that went through them, worked out by hand
/// in <c>SprintReportTests</c>. Steps and moves are at 10:00 UTC unless said.
/// </summary>
public static class SprintHistories
{
    public const long Sprint1 = 31;
    public const long Sprint2 = 32;
    public const long Sprint3 = 33;
    public const long Board = 7;
    public const string One = "SPR Sprint 1";
    public const string Two = "SPR Sprint 2";

    public static readonly IReadOnlyList<(long Id, string Name, string State, DateTimeOffset? Start, DateTimeOffset? End, DateTimeOffset? Complete)> Sprints =
    [
        (Sprint1, One, "closed", Nov(2, 9), Nov(13, 17), Nov(13, 17)),
        (Sprint2, Two, "closed", Nov(16, 9), Nov(27, 17), Nov(27, 17)),
        (Sprint3, "SPR Sprint 3", "future", null, null, null),
    ];

    /// <summary>
    /// P1: committed to 1, done in it. P2: committed to 1, done and reopened in it, carried to 2 at its close, done in 2.
    /// P3: added to 1 after its start, done in it. P4: committed to 1, moved to 2 during 1, done in 2. P5: done on the 1st,
    /// added to 1 after its start. P6: committed to 1, done in it, reopened after its close (in progress now). P7: added to 2
    /// after its start and removed a day later. P8: committed to 2, never started. P9: in 1 with no logged change, done in it.
    /// P10: created in 2 after its start (no logged change), never started.
    /// </summary>
    public static readonly SprintHistory[] November =
    [
        new(new(301, "SPR-1", "SPR", "Story", Oct(28), Done, new FlowStep("p1a", Nov(3), ToDo, InProgress), new FlowStep("p1b", Nov(5), InProgress, Done)),
            [Sprint1], new SprintMove(Oct(30), "", One)),
        new(new(302, "SPR-2", "SPR", "Story", Oct(28), Done,
                new FlowStep("p2a", Nov(3), ToDo, InProgress), new FlowStep("p2b", Nov(6), InProgress, Done), new("p2c", Nov(10), Done, InProgress), new("p2d", Nov(18), InProgress, Done)),
            [Sprint1, Sprint2], new SprintMove(Oct(30), "", One), new SprintMove(Nov(13, 17), One, $"{One}, {Two}")),
        new(new(303, "SPR-3", "SPR", "Bug", Nov(4, 8), Done, new FlowStep("p3a", Nov(9), ToDo, Done)),
            [Sprint1], new SprintMove(Nov(4), "", One)),
        new(new(304, "SPR-4", "SPR", "Story", Oct(28), Done, new FlowStep("p4a", Nov(17), ToDo, InProgress), new FlowStep("p4b", Nov(20), InProgress, Done)),
            [Sprint2], new SprintMove(Oct(30), "", One), new SprintMove(Nov(6), One, Two)),
        new(new(305, "SPR-5", "SPR", "Task", Oct(31), Done, new FlowStep("p5a", Nov(1), ToDo, Done)),
            [Sprint1], new SprintMove(Nov(5), "", One)),
        new(new(306, "SPR-6", "SPR", "Story", Oct(28), InProgress,
                new FlowStep("p6a", Nov(3), ToDo, InProgress), new FlowStep("p6b", Nov(12), InProgress, Done), new("p6c", Nov(20), Done, InProgress)),
            [Sprint1], new SprintMove(Oct(30), "", One)),
        new(new(307, "SPR-7", "SPR", "Story", Nov(17), ToDo), [], new SprintMove(Nov(18), "", Two), new SprintMove(Nov(19), Two, "")),
        new(new(308, "SPR-8", "SPR", "Story", Nov(12), ToDo), [Sprint2], new SprintMove(Nov(14), "", Two)),
        new(new(309, "SPR-9", "SPR", "Story", Oct(28), Done, new FlowStep("p9a", Nov(10), ToDo, Done)), [Sprint1]),
        new(new(310, "SPR-10", "SPR", "Bug", Nov(20), ToDo), [Sprint2]),
    ];

    public static async Task LoadAsync(this JiraExportSystem system, TestTenant tenant, IReadOnlyList<SprintHistory> issues, CancellationToken cancellationToken)
    {
        await system.LoadAsync(tenant, [.. issues.Select(i => i.Issue)], cancellationToken);
        var at = new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["connection"] = tenant.ConnectionId };
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_sprints (tenant_id, connection_id, sprint_id, board_id, name, state, start_date, end_date, complete_date)
            SELECT @tenant, @connection, s.id, @board, s.name, s.state, s.start_date, s.end_date, s.complete_date
            FROM unnest(@ids, @names, @states, @starts, @ends, @completes) AS s(id, name, state, start_date, end_date, complete_date)
            """, new Dictionary<string, object>(at)
        {
            ["board"] = Board,
            ["ids"] = Sprints.Select(s => s.Id).ToArray(),
            ["names"] = Sprints.Select(s => s.Name).ToArray(),
            ["states"] = Sprints.Select(s => s.State).ToArray(),
            ["starts"] = Sprints.Select(s => s.Start).ToArray(),
            ["ends"] = Sprints.Select(s => s.End).ToArray(),
            ["completes"] = Sprints.Select(s => s.Complete).ToArray(),
        }, cancellationToken);

        var members = issues.SelectMany(i => i.SprintsNow.Select(s => (i.Issue.IssueId, SprintId: s))).ToList();
        await system.ExecuteAsOwnerAsync("""
            INSERT INTO jira_sprint_issues (tenant_id, connection_id, sprint_id, issue_id)
            SELECT @tenant, @connection, m.sprint, m.issue FROM unnest(@sprints, @issues) AS m(sprint, issue)
            """, new Dictionary<string, object>(at)
        {
            ["sprints"] = members.Select(m => m.SprintId).ToArray(),
            ["issues"] = members.Select(m => m.IssueId).ToArray(),
        }, cancellationToken);

        // The changelog as the sync stores it, with Jira's dates (an offset without a colon).
        var logged = issues.Where(i => i.Moves.Length > 0).ToList();
        await system.ExecuteAsOwnerAsync("""
            UPDATE jira_issues i SET changelog = c.changelog::jsonb FROM unnest(@issues, @changelogs) AS c(issue, changelog)
            WHERE i.tenant_id = @tenant AND i.connection_id = @connection AND i.issue_id = c.issue
            """, new Dictionary<string, object>(at)
        {
            ["issues"] = logged.Select(i => i.Issue.IssueId).ToArray(),
            ["changelogs"] = logged.Select(i => JsonSerializer.Serialize(i.Moves.Select((m, n) => new
            {
                id = $"{i.Issue.Key}-s{n}",
                created = m.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", System.Globalization.CultureInfo.InvariantCulture),
                items = new[] { new { field = "Sprint", fieldtype = "custom", from = (string?)null, fromString = m.From, to = (string?)null, toString = m.To } },
            }))).ToArray(),
        }, cancellationToken);
    }

    private static DateTimeOffset Nov(int day, int hour = 10) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Oct(int day) => new(2026, 10, day, 10, 0, 0, TimeSpan.Zero);
}
