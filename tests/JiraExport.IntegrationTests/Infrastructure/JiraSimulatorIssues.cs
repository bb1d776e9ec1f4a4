using System.Net.Http.Json;
using System.Text.Json;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>Changing the simulated Jira as its users would, and reading what it holds, to compare with the store.</summary>
public static class JiraSimulatorIssues
{
    public static Task TransitionJiraIssueAsync(this JiraExportSystem system, string key, string status, CancellationToken cancellationToken) =>
        PostAsync(system, $"/_simulator/issues/{key}/transition", new { status }, cancellationToken);

    public static Task EditJiraIssueAsync(this JiraExportSystem system, string key, string summary, CancellationToken cancellationToken) =>
        PostAsync(system, $"/_simulator/issues/{key}/edit", new { summary }, cancellationToken);

    public static async Task<string> CreateJiraIssueAsync(this JiraExportSystem system, string project, string summary, CancellationToken cancellationToken)
    {
        var created = await PostAsync(system, "/_simulator/issues", new { project, summary }, cancellationToken);
        return created.GetProperty("key").GetString()!;
    }

    public static async Task DeleteJiraIssueAsync(this JiraExportSystem system, string key, CancellationToken cancellationToken)
    {
        using var simulator = system.CreateSimulatorClient();
        using var response = await simulator.DeleteAsync($"/_simulator/issues/{key}", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many issues the simulator holds for a JQL (its approximate count is exact).</summary>
    public static async Task<int> CountJiraIssuesAsync(this JiraExportSystem system, string jql, CancellationToken cancellationToken)
    {
        var body = await PostAsync(system, "/rest/api/3/search/approximate-count", new { jql }, cancellationToken, authenticated: true);
        return body.GetProperty("count").GetInt32();
    }

    /// <summary>An issue's complete changelog as Jira pages it: (total, ids oldest first).</summary>
    public static async Task<List<string>> GetJiraChangelogIdsAsync(this JiraExportSystem system, string key, CancellationToken cancellationToken)
    {
        using var simulator = Authenticated(system);
        var ids = new List<string>();
        while (true)
        {
            var page = await simulator.GetFromJsonAsync<JsonElement>($"/rest/api/3/issue/{key}/changelog?startAt={ids.Count}", cancellationToken);
            ids.AddRange(page.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()!));
            if (page.GetProperty("isLast").GetBoolean())
            {
                return ids;
            }
        }
    }

    public static async Task<JsonElement> GetJiraIssueAsync(this JiraExportSystem system, string key, CancellationToken cancellationToken)
    {
        using var simulator = Authenticated(system);
        return await simulator.GetFromJsonAsync<JsonElement>($"/rest/api/3/issue/{key}?fields=status,updated,summary", cancellationToken);
    }

    private static HttpClient Authenticated(JiraExportSystem system)
    {
        var client = system.CreateSimulatorClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("demo@example.com:sim-api-token"u8.ToArray()));
        return client;
    }

    private static async Task<JsonElement> PostAsync(JiraExportSystem system, string path, object body, CancellationToken cancellationToken, bool authenticated = false)
    {
        using var simulator = authenticated ? Authenticated(system) : system.CreateSimulatorClient();
        using var response = await simulator.PostAsJsonAsync(path, body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
