using System.Globalization;

namespace JiraExport.JiraSimulator.Seed;

/// <summary>
/// The site's boards and epics: configuration like the projects, the same for every seed. Each project has one scrum
/// board; DELTA's operations team also runs a kanban board.
/// </summary>
internal static class AgileCatalog
{
    /// <summary>Epics are modelled outside the store, so this type is never an issue's own type, only its parent's.</summary>
    public static readonly SeedIssueType EpicType = new("10000", "Epic", "A big user story that needs to be broken down.");

    public const int EpicsPerProject = 6;

    /// <summary>Epic ids and key numbers sit far above any seeded or created issue, so they never collide with one.</summary>
    public const int FirstEpicId = 900_000;

    public const int FirstEpicNumber = 90_001;

    public static readonly IReadOnlyList<SeedBoard> Boards =
    [
        new(1, "ALPHA board", "scrum", JiraCatalog.Projects[0], JiraCatalog.Users[0], 10040, FutureSprints: 2),
        new(2, "BETA board", "scrum", JiraCatalog.Projects[1], JiraCatalog.Users[4], 10041, FutureSprints: 1),
        new(3, "GAMMA board", "scrum", JiraCatalog.Projects[2], JiraCatalog.Users[6], 10042, FutureSprints: 2),
        new(4, "DELTA board", "scrum", JiraCatalog.Projects[3], JiraCatalog.Users[1], 10043, FutureSprints: 1),
        new(5, "DELTA Kanban", "kanban", JiraCatalog.Projects[3], JiraCatalog.Users[1], 10044, FutureSprints: 0),
    ];

    public static IReadOnlyList<SeedBoard> ScrumBoards => [.. Boards.Where(b => b.IsScrum)];

    private static readonly string[][] EpicNames =
    [
        ["Billing 2.0", "Единый вход (SSO)", "Audit trail", "Экспорт в PDF", "Public API v2", "Миграция на PostgreSQL 17"],
        ["Offline mode", "Push-уведомления", "Tablet layout", "Оплата в приложении", "Accessibility pass", "Тёмная тема"],
        ["Dashboards", "Выгрузка в CSV и Excel", "Data retention", "Отчёты по спринтам", "Query engine rewrite", "Прогнозирование сроков"],
        ["Kubernetes migration", "Резервное копирование", "Observability", "Сертификаты и TLS", "Cost reduction", "Отказоустойчивость БД"],
    ];

    /// <summary>
    /// Six epics a project, each covering a sixth of the seed's time span (issues created then may belong to it). The
    /// four older ones are done.
    /// </summary>
    public static readonly IReadOnlyList<SeedEpic> Epics =
    [
        .. JiraCatalog.Projects.SelectMany((project, p) => Enumerable.Range(0, EpicsPerProject).Select(n => new SeedEpic(
            FirstEpicId + (100 * p) + n + 1,
            string.Create(CultureInfo.InvariantCulture, $"{project.Key}-{FirstEpicNumber + n}"),
            project,
            EpicNames[p][n],
            $"{EpicNames[p][n]} — {project.Name}",
            string.Create(CultureInfo.InvariantCulture, $"color_{((p * EpicsPerProject) + n) % 14 + 1}"),
            Done: n < 4))),
    ];

    public static SeedBoard ScrumBoardOf(SeedProject project) => Boards.First(b => b.IsScrum && b.Project == project);

    public static SeedBoard? FindBoard(long id) => Boards.FirstOrDefault(b => b.Id == id);

    public static SeedEpic? FindEpic(string idOrKey) =>
        Epics.FirstOrDefault(e => string.Equals(e.Key, idOrKey, StringComparison.OrdinalIgnoreCase)
                                  || e.Id.ToString(CultureInfo.InvariantCulture) == idOrKey);

    /// <summary>The epic whose sixth of the time span holds <paramref name="created"/>.</summary>
    public static SeedEpic EpicFor(SeedProject project, DateTimeOffset created)
    {
        var span = SeedGenerator.LastCreated - SeedGenerator.FirstCreated;
        var window = (int)Math.Clamp((created - SeedGenerator.FirstCreated) / span * EpicsPerProject, 0, EpicsPerProject - 1);
        return Epics.Where(e => e.Project == project).ElementAt(window);
    }
}
