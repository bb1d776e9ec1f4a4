using System.Net.Http.Json;
using System.Text.Json;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// Changing a simulated Jira as its users would, and reading what it holds, to compare with the store: against any
/// simulator by its address, or the class's shared one through the system.
/// </summary>
public static class JiraSimulatorIssues
{
    public static Task TransitionJiraIssueAsync(this Uri site, string key, string status, CancellationToken cancellationToken) =>
        PostAsync(site, $"/_simulator/issues/{key}/transition", new { status }, authenticated: false, cancellationToken);

    public static Task EditJiraIssueAsync(this Uri site, string key, string summary, CancellationToken cancellationToken) =>
        PostAsync(site, $"/_simulator/issues/{key}/edit", new { summary }, authenticated: false, cancellationToken);

    public static async Task<string> CreateJiraIssueAsync(this Uri site, string project, string summary, CancellationToken cancellationToken) =>
        (await PostAsync(site, "/_simulator/issues", new { project, summary }, authenticated: false, cancellationToken)).GetProperty("key").GetString()!;

    public static async Task DeleteJiraIssueAsync(this Uri site, string key, CancellationToken cancellationToken)
    {
        using var client = Client(site, authenticated: false);
        using var response = await client.DeleteAsync($"/_simulator/issues/{key}", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many issues the simulator holds for a JQL (its approximate count is exact).</summary>
    public static async Task<int> CountJiraIssuesAsync(this Uri site, string jql, CancellationToken cancellationToken) =>
        (await PostAsync(site, "/rest/api/3/search/approximate-count", new { jql }, authenticated: true, cancellationToken)).GetProperty("count").GetInt32();

    /// <summary>An issue's complete changelog ids as Jira pages them, oldest first.</summary>
    public static async Task<List<string>> GetJiraChangelogIdsAsync(this Uri site, string key, CancellationToken cancellationToken)
    {
        using var client = Client(site, authenticated: true);
        var ids = new List<string>();
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/rest/api/3/issue/{key}/changelog?startAt={ids.Count}", cancellationToken);
            ids.AddRange(page.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()!));
            if (page.GetProperty("isLast").GetBoolean())
            {
                return ids;
            }
        }
    }

    /// <summary>The <c>total</c> of a paged Jira resource, e.g. <c>/rest/api/3/issue/A-1/worklog</c>.</summary>
    public static async Task<int> JiraTotalAsync(this Uri site, string path, CancellationToken cancellationToken)
    {
        using var client = Client(site, authenticated: true);
        return (await client.GetFromJsonAsync<JsonElement>(path, cancellationToken)).GetProperty("total").GetInt32();
    }

    /// <summary>A sprint's name as Jira Software has it.</summary>
    public static async Task<string> GetJiraSprintNameAsync(this JiraExportSystem system, long sprintId, CancellationToken cancellationToken)
    {
        using var client = Client(system.SimulatorAddress, authenticated: true);
        return (await client.GetFromJsonAsync<JsonElement>($"/rest/agile/1.0/sprint/{sprintId}", cancellationToken)).GetProperty("name").GetString()!;
    }

    public static Task TransitionJiraIssueAsync(this JiraExportSystem system, string key, string status, CancellationToken cancellationToken) =>
        system.SimulatorAddress.TransitionJiraIssueAsync(key, status, cancellationToken);

    public static Task EditJiraIssueAsync(this JiraExportSystem system, string key, string summary, CancellationToken cancellationToken) =>
        system.SimulatorAddress.EditJiraIssueAsync(key, summary, cancellationToken);

    public static Task<string> CreateJiraIssueAsync(this JiraExportSystem system, string project, string summary, CancellationToken cancellationToken) =>
        system.SimulatorAddress.CreateJiraIssueAsync(project, summary, cancellationToken);

    public static Task DeleteJiraIssueAsync(this JiraExportSystem system, string key, CancellationToken cancellationToken) =>
        system.SimulatorAddress.DeleteJiraIssueAsync(key, cancellationToken);

    public static Task<int> CountJiraIssuesAsync(this JiraExportSystem system, string jql, CancellationToken cancellationToken) =>
        system.SimulatorAddress.CountJiraIssuesAsync(jql, cancellationToken);

    public static Task<List<string>> GetJiraChangelogIdsAsync(this JiraExportSystem system, string key, CancellationToken cancellationToken) =>
        system.SimulatorAddress.GetJiraChangelogIdsAsync(key, cancellationToken);

    private static HttpClient Client(Uri site, bool authenticated)
    {
        var client = new HttpClient { BaseAddress = site, Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("demo@example.com:sim-api-token"u8.ToArray()));
        }

        return client;
    }

    private static async Task<JsonElement> PostAsync(Uri site, string path, object body, bool authenticated, CancellationToken cancellationToken)
    {
        using var client = Client(site, authenticated);
        using var response = await client.PostAsJsonAsync(path, body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
