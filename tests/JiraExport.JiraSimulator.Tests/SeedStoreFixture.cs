using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>The default seed's issues, generated once for the tests that run JQL without HTTP.</summary>
internal static class SeedStoreFixture
{
    private static readonly Lazy<IssueStore> Lazy = new(() => new IssueStore(SeedGenerator.Generate(new JiraSimulatorOptions().Seed)));

    public static IssueStore Store => Lazy.Value;
}
