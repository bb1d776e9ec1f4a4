namespace JiraExport.Core.Analytics;

/// <summary>
/// One synced issue as the flow metrics read it: its identity, its status now, and when it crossed into the started and
/// the finished statuses (summarised from its status transitions by <see cref="FlowStore"/>).
/// </summary>
public sealed record FlowIssue(
    long IssueId,
    string Key,
    string ProjectKey,
    string? IssueType,
    DateTimeOffset Created,
    string? StatusId,
    DateTimeOffset? LastTransitionAt,
    BoundaryCrossings IntoStarted,
    BoundaryCrossings IntoFinished);

/// <summary>
/// The crossings of one issue into a set of statuses: the first and the last transition from outside the set into it (each
/// read only when the definition needs it), and whether the issue was created inside the set (the status before its first
/// transition, or its status now if it has none).
/// </summary>
public readonly record struct BoundaryCrossings(DateTimeOffset? First, DateTimeOffset? Last, bool CreatedInside);

/// <summary>
/// An issue placed on the flow by a definition: when it started, when it finished (only while it is in a finished status),
/// and when it left the started statuses without finishing (moved back to the backlog).
/// </summary>
public sealed record FlowItem(FlowIssue Issue, DateTimeOffset? Start, DateTimeOffset? End, DateTimeOffset? Left)
{
    public bool IsFinished => End is not null;

    public bool IsInProgress => Start is not null && End is null && Left is null;

    /// <summary>When it stopped being work in progress: finished, or moved back out of the started statuses.</summary>
    public DateTimeOffset? Stopped => End ?? Left;

    /// <summary>
    /// The item under <paramref name="definition"/>, given which statuses it is in now. The stated rules:
    /// a crossing is a move from outside a set into it; being created inside a set is a crossing at creation; the finished
    /// statuses are always among the started ones (an issue moved straight to Done started when it finished); an end that
    /// would come before the start (a last start with a first end, on a reopened issue) is the last crossing into the
    /// finished statuses instead.
    /// </summary>
    public static FlowItem Place(FlowIssue issue, FlowDefinition definition, bool inStartedNow, bool inFinishedNow)
    {
        var start = At(issue.IntoStarted, definition.Start.Crossing, issue.Created);
        if (!inFinishedNow)
        {
            // Work that went back to the backlog left the flow at its last status change.
            var left = start is not null && !inStartedNow ? issue.LastTransitionAt ?? issue.Created : (DateTimeOffset?)null;
            return new FlowItem(issue, start, null, left);
        }

        var end = At(issue.IntoFinished, definition.End.Crossing, issue.Created) ?? issue.LastTransitionAt ?? issue.Created;
        start ??= end;
        if (end < start)
        {
            end = At(issue.IntoFinished, Crossing.Last, issue.Created) ?? end;
            start = end < start ? end : start;
        }

        return new FlowItem(issue, start, end, null);
    }

    private static DateTimeOffset? At(BoundaryCrossings crossings, Crossing which, DateTimeOffset created) => which switch
    {
        Crossing.First => crossings.CreatedInside ? created : crossings.First,
        _ => crossings.Last ?? (crossings.CreatedInside ? created : null),
    };
}
