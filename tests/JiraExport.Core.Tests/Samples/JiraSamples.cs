using System.Text.Json;

namespace JiraExport.Core.Tests.Samples;

/// <summary>Reads the Jira responses copied next to the test assembly (see Samples/README.md).</summary>
internal static class JiraSamples
{
    public const string CloudSearch = "v3-search-jql.jira-cli.json";
    public const string ServerSearch = "v2-search-startAt-total.mobitel.json";
    public const string AgileSprints = "agile-board-sprints.spec-example.json";

    public static async Task<JsonDocument> LoadAsync(string fileName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", fileName);
        await using var stream = File.OpenRead(path);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }
}
