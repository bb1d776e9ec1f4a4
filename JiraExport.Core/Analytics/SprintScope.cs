namespace JiraExport.Core.Analytics;

/// <summary>A sprint as synced from the issues' Sprint field.</summary>
public sealed record SprintFacts(
    long SprintId, long? BoardId, string Name, string State, DateTimeOffset? StartDate, DateTimeOffset? EndDate, DateTimeOffset? CompleteDate, string? Goal);

/// <summary>One change of an issue's Sprint field: Jira logs only the sprint names before and after, comma-separated.</summary>
public sealed record SprintFieldChange(DateTimeOffset At, string? From, string? To);

/// <summary>One status change of an issue, by status id.</summary>
public sealed record StatusChange(DateTimeOffset At, string? FromStatusId, string? ToStatusId);

/// <summary>
/// What a sprint report reads of one issue: the sprints it is in now, its Sprint field's history and its status history
/// (oldest first).
/// </summary>
public sealed record SprintIssueHistory(
    long IssueId, string Key, string Summary, string? IssueType, DateTimeOffset? Created, string? StatusIdNow, IReadOnlySet<long> SprintsNow,
    IReadOnlyList<SprintFieldChange> SprintChanges, IReadOnlyList<StatusChange> StatusChanges);

/// <summary>When an issue was in one sprint: each time it joined or left it, its creation included if it was created in it.</summary>
public sealed class SprintMembership
{
    private readonly List<(DateTimeOffset At, bool In)> _changes;

    private SprintMembership(List<(DateTimeOffset At, bool In)> changes) => _changes = changes;

    public static SprintMembership Of(SprintFacts sprint, SprintIssueHistory issue)
    {
        var changes = issue.SprintChanges
            .OrderBy(c => c.At)
            .Select(c => (c.At, In: Names(c.To, sprint.Name), WasIn: Names(c.From, sprint.Name)))
            .Where(c => c.In != c.WasIn)
            .ToList();
        // Before the first logged change the issue was where that change took it from; without changes, where it is now.
        var initial = changes.Count > 0 ? changes[0].WasIn : issue.SprintsNow.Contains(sprint.SprintId);
        var timeline = changes.Select(c => (c.At, c.In)).ToList();
        if (initial)
        {
            // Nothing is in a sprint before it exists: an issue created in the sprint (Jira logs no change then) joined it
            // then; one whose creation is unknown, or logged after its first change (an import), was in it from the first.
            var created = issue.Created ?? DateTimeOffset.MinValue;
            timeline.Insert(0, (changes.Count > 0 && created > changes[0].At ? DateTimeOffset.MinValue : created, true));
        }

        return new SprintMembership(timeline);
    }

    /// <summary>
    /// Whether a Sprint field change's side (Jira joins the names with commas) names <paramref name="sprintName"/>; compared
    /// as a whole run of names, so a name that holds a comma matches too.
    /// </summary>
    public static bool Names(string? list, string sprintName) =>
        list is not null && $",{Normalize(list)},".Contains($",{Normalize(sprintName)},", StringComparison.Ordinal);

    private static string Normalize(string names) => string.Join(',', names.Split(',', StringSplitOptions.TrimEntries));

    public bool InAt(DateTimeOffset at)
    {
        var state = false;
        foreach (var change in _changes.TakeWhile(c => c.At <= at))
        {
            state = change.In;
        }

        return state;
    }

    /// <summary>The last time the issue joined the sprint at or before <paramref name="at"/>.</summary>
    public DateTimeOffset? JoinedAt(DateTimeOffset at)
    {
        DateTimeOffset? joined = null;
        foreach (var change in _changes.TakeWhile(c => c.At <= at).Where(c => c.In))
        {
            joined = change.At;
        }

        return joined;
    }

    public bool JoinedBetween(DateTimeOffset after, DateTimeOffset upTo) => _changes.Any(c => c.In && c.At > after && c.At <= upTo);
}

/// <summary>An issue's status at any moment, from its status changes: before the first, the status that change left.</summary>
public sealed class StatusTimeline(IReadOnlyList<StatusChange> changes, string? statusNow)
{
    public string? StatusAt(DateTimeOffset at)
    {
        if (changes.Count == 0)
        {
            return statusNow;
        }

        var last = changes.LastOrDefault(c => c.At <= at);
        return last is null ? changes[0].FromStatusId : last.ToStatusId;
    }

    /// <summary>
    /// Since when the issue had been in <paramref name="finished"/> at <paramref name="at"/> without a break: its last move
    /// into them, or <see cref="DateTimeOffset.MinValue"/> if it was created in them and never left.
    /// </summary>
    public DateTimeOffset FinishedSince(DateTimeOffset at, IReadOnlySet<string> finished)
    {
        var into = changes.LastOrDefault(c => c.At <= at && c.ToStatusId is { } to && finished.Contains(to)
            && (c.FromStatusId is null || !finished.Contains(c.FromStatusId)));
        return into?.At ?? DateTimeOffset.MinValue;
    }
}

/// <summary>Where an issue lands in a sprint report.</summary>
public enum SprintOutcome
{
    Completed,
    NotCompleted,
    Removed,
    CompletedOutside,
}

/// <summary>One issue of a sprint report: where it landed, whether it was committed or added after the start, its status at the close.</summary>
public sealed record SprintReportIssue(
    long IssueId, string Key, string Summary, string? IssueType, SprintOutcome Outcome, bool Committed, bool AddedAfterStart,
    DateTimeOffset? AddedAt, string? StatusIdAtClose, DateTimeOffset? FinishedAt);

/// <summary>The sprint's scope at the end of one day: issues in the sprint, and those of them finished.</summary>
public sealed record SprintDay(DateOnly Date, int Scope, int Done)
{
    public int Remaining => Scope - Done;
}

/// <summary>A sprint report: the issues by outcome, as of the close (the completion, or now for a running sprint), and the days.</summary>
public sealed record SprintReport(
    SprintFacts Sprint, DateTimeOffset ClosedAt, bool Running, DateOnly? PlannedLastDay, IReadOnlyList<SprintReportIssue> Issues, IReadOnlyList<SprintDay> Days, string? Note)
{
    public const string Rule =
        "Membership comes from the Sprint field's history (Jira logs the sprint names before and after each change; an issue created in "
        + "the sprint joined it then); status from the status transitions. Committed: in the sprint when it started. Added after start: joined between the start and the close. Completed: in "
        + "the sprint at the close and in a finished status then, having finished after it joined (or after the start, if committed). "
        + "Completed outside this sprint: in the sprint at the close, but already finished when it joined or when the sprint started. "
        + "Not completed: in the sprint at the close and not finished then. Removed (Jira's \"punted\"): in the sprint after its start, "
        + "but not at the close. The close is the completion date, or now for a running sprint. Counted in issues.";

    public IEnumerable<SprintReportIssue> With(SprintOutcome outcome) => Issues.Where(i => i.Outcome == outcome);

    public int Committed => Issues.Count(i => i.Committed);
    public int AddedAfterStart => Issues.Count(i => i.AddedAfterStart);
    public int Completed => With(SprintOutcome.Completed).Count();
    public int NotCompleted => With(SprintOutcome.NotCompleted).Count();
    public int Removed => With(SprintOutcome.Removed).Count();
    public int CompletedOutside => With(SprintOutcome.CompletedOutside).Count();
}

/// <summary>Reproduces a sprint report from the issues' histories, as it stood at the close whatever happened since (reopened, moved on).</summary>
public static class SprintScope
{
    /// <summary>Days a burndown draws at most: a sprint is weeks long; a sprint left open for years is cut.</summary>
    public const int MaxDays = 120;

    /// <summary>Null for a sprint not started (a future one whose planned start has passed included): it has no report yet.</summary>
    public static SprintReport? Build(SprintFacts sprint, IReadOnlyList<SprintIssueHistory> issues, IReadOnlySet<string> finished, WorkCalendar calendar, DateTimeOffset now)
    {
        if (sprint.State == "future" || sprint.StartDate is not { } start || start > now)
        {
            return null;
        }

        var running = sprint.CompleteDate is null && sprint.State != "closed";
        var close = sprint.CompleteDate ?? (running ? now : sprint.EndDate ?? now);
        close = close < start ? start : close;

        var placed = new List<(SprintReportIssue Report, SprintMembership Membership, StatusTimeline Status)>();
        foreach (var issue in issues)
        {
            var membership = SprintMembership.Of(sprint, issue);
            var committed = membership.InAt(start);
            var added = !committed && membership.JoinedBetween(start, close);
            if (!committed && !added)
            {
                continue;
            }

            var status = new StatusTimeline(issue.StatusChanges, issue.StatusIdNow);
            var statusAtClose = status.StatusAt(close);
            var finishedAtClose = statusAtClose is not null && finished.Contains(statusAtClose);
            var finishedSince = finishedAtClose ? status.FinishedSince(close, finished) : (DateTimeOffset?)null;
            var joined = committed ? start : membership.JoinedAt(close) ?? start;
            var outcome = !membership.InAt(close) ? SprintOutcome.Removed
                : !finishedAtClose ? SprintOutcome.NotCompleted
                : finishedSince <= joined ? SprintOutcome.CompletedOutside
                : SprintOutcome.Completed;
            placed.Add((new SprintReportIssue(
                issue.IssueId, issue.Key, issue.Summary, issue.IssueType, outcome, committed, added, added ? membership.JoinedAt(close) : null,
                statusAtClose, finishedSince == DateTimeOffset.MinValue ? null : finishedSince), membership, status));
        }

        var days = new List<SprintDay>();
        var (first, last) = (calendar.DateOf(start), calendar.DateOf(close));
        for (var date = first; date <= last && days.Count < MaxDays; date = date.AddDays(1))
        {
            // The state at the end of the day, or at the close on the last day.
            var at = date == last ? close : calendar.StartOf(date.AddDays(1)).AddTicks(-1);
            var scope = placed.Where(p => p.Membership.InAt(at)).ToList();
            days.Add(new SprintDay(date, scope.Count, scope.Count(p => p.Status.StatusAt(at) is { } s && finished.Contains(s))));
        }

        var note = last.DayNumber - first.DayNumber + 1 > MaxDays ? $"The first {MaxDays} days of the sprint are drawn." : null;
        return new SprintReport(sprint, close, running, sprint.EndDate is { } end ? calendar.DateOf(end) : null, [.. placed.Select(p => p.Report).OrderBy(r => r.Key, StringComparer.Ordinal)], days, note);
    }
}
