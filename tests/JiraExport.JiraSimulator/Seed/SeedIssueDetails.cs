namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// What later passes add to an issue: sprints and epic (<see cref="AgileGenerator"/>), comments, work and attachments
/// (<see cref="ActivityGenerator"/>), links (<see cref="LinkGenerator"/>). Issues created through the test controls
/// start without any.
/// </summary>
internal sealed partial record SeedIssue
{
    /// <summary>Every sprint the issue has been in, oldest first; only the last may be active or future.</summary>
    public IReadOnlyList<SeedSprint> Sprints { get; init; } = [];

    public SeedEpic? Epic { get; init; }

    public bool Flagged { get; init; }

    public IReadOnlyList<SeedComment> Comments { get; init; } = [];

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<SeedWorklog> Worklogs { get; init; } = [];

    public int? OriginalEstimateSeconds { get; init; }

    public IReadOnlyList<SeedAttachment> Attachments { get; init; } = [];

    public IReadOnlyList<SeedIssueLink> Links { get; init; } = [];

    /// <summary>The ids of the versions the issue is fixed in (<see cref="SeedVersion"/>).</summary>
    public IReadOnlyList<string> FixVersionIds { get; init; } = [];

    public int TimeSpentSeconds => Worklogs.Sum(w => w.TimeSpentSeconds);

    /// <summary>Null when time is not tracked; zero once done, or when work was logged without an estimate.</summary>
    public int? RemainingEstimateSeconds =>
        OriginalEstimateSeconds is null && Worklogs.Count == 0 ? null
        : Status == JiraCatalog.Done ? 0
        : Math.Max(0, (OriginalEstimateSeconds ?? 0) - TimeSpentSeconds);

    /// <summary>When the issue was resolved: its last move into Done, while it is done (reopening clears it, as in Jira).</summary>
    public DateTimeOffset? Resolved => Status == JiraCatalog.Done
        ? Histories.LastOrDefault(h => h.Items.Any(i => i.Field == "status" && i.To == JiraCatalog.Done.Id))?.Created ?? Created
        : null;

    /// <summary>The active or future sprint the issue is in now, if any.</summary>
    public SeedSprint? OpenSprint => Sprints.Count > 0 && Sprints[^1].State != SprintState.Closed ? Sprints[^1] : null;
}
