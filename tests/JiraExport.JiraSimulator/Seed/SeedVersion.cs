namespace JiraExport.JiraSimulator.Seed;

/// <summary>A project's version (a release): what issues name in <c>fixVersions</c>.</summary>
internal sealed record SeedVersion(string Id, string ProjectId, string Name, bool Released, DateOnly? ReleaseDate)
{
    /// <summary>Three per project: two released, one planned; ids 10100 + 10 × the project's place + n.</summary>
    public static IReadOnlyList<SeedVersion> Seed() =>
    [
        .. JiraCatalog.Projects.SelectMany((project, place) => new[]
        {
            new SeedVersion(VersionId(place, 0), project.Id, "1.0", Released: true, new DateOnly(2025, 3, 31)),
            new SeedVersion(VersionId(place, 1), project.Id, "1.1", Released: true, new DateOnly(2025, 9, 30)),
            new SeedVersion(VersionId(place, 2), project.Id, "2.0", Released: false, null),
        }),
    ];

    /// <summary>The versions a seeded issue is fixed in, by its number: none, 1.0, 1.1, or 1.1 and 2.0.</summary>
    public static IReadOnlyList<string> FixedIn(SeedIssue issue)
    {
        var place = JiraCatalog.Projects.ToList().FindIndex(p => p.Id == issue.Project.Id);
        return (issue.Number % 4) switch
        {
            1 => [VersionId(place, 0)],
            2 => [VersionId(place, 1)],
            3 => [VersionId(place, 1), VersionId(place, 2)],
            _ => [],
        };
    }

    private static string VersionId(int place, int n) => (10100 + (10 * place) + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
