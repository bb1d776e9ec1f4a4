using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// Every scrum board's sprints: two weeks each from the Monday before the first issue, closed up to the one running
/// when the seed's data ends (active), then one or two planned ones (future). The same for every seed. Each sprint is
/// completed a little before its planned end and the next one starts right after, so a moment belongs to exactly one
/// sprint: the one completed next after it (or the active one).
/// </summary>
internal static class SprintCalendar
{
    public static readonly TimeSpan Length = TimeSpan.FromDays(14);

    public static readonly DateTimeOffset FirstStart = new(2024, 1, 8, 10, 0, 0, JiraCatalog.SiteOffset);

    /// <summary>Cadence index of every board's active sprint: the one holding the seed's last update.</summary>
    public static readonly int ActiveIndex = (int)((SeedGenerator.LastUpdated - FirstStart) / Length);

    private static readonly string[] Goals =
    [
        "Ship the release candidate", "Закрыть критичные баги", "Stabilise the export pipeline", "Подготовить демо для заказчика",
        "Finish the onboarding flow", "Снизить технический долг", "Performance pass before the release", "Довести интеграцию до продакшена",
    ];

    /// <summary>All sprints, in id order (ids grow in the order the sprints were created, across boards).</summary>
    public static readonly IReadOnlyList<SeedSprint> Sprints = Create();

    private static readonly Dictionary<int, SeedSprint> ById = Sprints.ToDictionary(s => s.Id);

    private static readonly Dictionary<(int Board, int Index), SeedSprint> ByBoard = Sprints.ToDictionary(s => (s.Board.Id, s.Index));

    public static SeedSprint? Find(long id) => id is > 0 and <= int.MaxValue ? ById.GetValueOrDefault((int)id) : null;

    public static SeedSprint At(SeedBoard board, int index) => ByBoard[(board.Id, index)];

    public static bool Has(SeedBoard board, int index) => ByBoard.ContainsKey((board.Id, index));

    /// <summary>The board's sprints in backlog order (the order they run in).</summary>
    public static IEnumerable<SeedSprint> Of(SeedBoard board) => Sprints.Where(s => s.Board == board);

    /// <summary>Cadence index of the sprint a moment falls in: after the previous sprint's completion, up to its own.</summary>
    public static int IndexAt(SeedBoard board, DateTimeOffset moment)
    {
        var index = Math.Clamp((int)Math.Floor((moment - FirstStart) / Length), 0, ActiveIndex);
        return index < ActiveIndex && moment > At(board, index).Complete ? index + 1 : index;
    }

    private static DateTimeOffset Planned(int index) => FirstStart + (Length * index);

    private static List<SeedSprint> Create()
    {
        // A random of its own, never the issues' generator: the calendar is configuration.
        var random = new Random(20240108);
        var sprints = new List<SeedSprint>();
        var boards = AgileCatalog.ScrumBoards;
        var lastIndex = ActiveIndex + boards.Max(b => b.FutureSprints);
        for (var index = 0; index <= lastIndex; index++)
        {
            foreach (var board in boards.Where(b => index <= ActiveIndex + b.FutureSprints))
            {
                var state = index < ActiveIndex ? SprintState.Closed : index == ActiveIndex ? SprintState.Active : SprintState.Future;
                var start = state == SprintState.Future ? (DateTimeOffset?)null : Planned(index).AddMinutes(index == 0 ? 0 : random.Next(5, 45));
                var complete = state == SprintState.Closed ? Planned(index + 1).AddMinutes(-random.Next(10, 300)).AddMilliseconds(random.Next(1000)) : (DateTimeOffset?)null;
                // Created two sprints ahead, so backlog issues can be planned into the next ones.
                var created = Planned(index).AddDays(-28).AddMinutes(random.Next(0, 600));
                var goal = random.NextDouble() < 0.3 ? string.Empty : SeedGenerator.Pick(random, Goals);
                sprints.Add(new SeedSprint(
                    sprints.Count + 1,
                    index,
                    string.Create(CultureInfo.InvariantCulture, $"{board.Project.Key} Sprint {index + 1}"),
                    state,
                    board,
                    goal,
                    start,
                    start + Length,
                    complete,
                    created));
            }
        }

        return sprints;
    }
}
