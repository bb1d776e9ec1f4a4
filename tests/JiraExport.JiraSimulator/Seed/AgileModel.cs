namespace JiraExport.JiraSimulator.Seed;

/// <summary>A board of one project. Scrum boards run sprints; <see cref="FutureSprints"/> is how many are planned ahead.</summary>
internal sealed record SeedBoard(int Id, string Name, string Type, SeedProject Project, SeedUser Lead, int FilterId, int FutureSprints)
{
    public bool IsScrum => Type == "scrum";
}

internal enum SprintState
{
    Closed,
    Active,
    Future,
}

/// <summary>
/// One sprint of a scrum board. <see cref="Index"/> is its place in the board's two-week cadence (0 = the first).
/// Future sprints have no dates; only closed ones have <see cref="Complete"/>.
/// </summary>
internal sealed record SeedSprint(
    int Id,
    int Index,
    string Name,
    SprintState State,
    SeedBoard Board,
    string Goal,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    DateTimeOffset? Complete,
    DateTimeOffset Created);

/// <summary>
/// An epic of the fixed catalogue. It is not an issue of the store (that would change every project's issue count),
/// so searches never find it; issues point at it through <c>parent</c> and the Agile API serves it.
/// </summary>
internal sealed record SeedEpic(int Id, string Key, SeedProject Project, string Name, string Summary, string ColorKey, bool Done);
