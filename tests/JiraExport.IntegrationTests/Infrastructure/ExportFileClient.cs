using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>Exports with any request body, their records as JSON, and their files; the waits fail with the last state seen.</summary>
public static class ExportFileClient
{
    /// <summary>Posts <paramref name="body"/> (the tenant's connection is added) and returns the new export's id.</summary>
    public static async Task<Guid> RequestExportAsync(this TestTenant tenant, Dictionary<string, object?> body, CancellationToken cancellationToken)
    {
        body.TryAdd("connectionId", tenant.ConnectionId);
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports", body, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
    }

    /// <summary>Requests an export, waits for it to succeed and downloads its file.</summary>
    public static async Task<(Guid Id, HttpResponseMessage File, byte[] Content)> ExportAndDownloadAsync(
        this TestTenant tenant, Dictionary<string, object?> body, CancellationToken cancellationToken)
    {
        var id = await tenant.RequestExportAsync(body, cancellationToken);
        var export = await tenant.WaitForExportToFinishAsync(id, cancellationToken);
        Assert.True(export.Status == "succeeded", export.ToString());
        var file = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        return (id, file, await file.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public static async Task<JsonElement> GetExportJsonAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken) =>
        await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{id}", cancellationToken);

    /// <summary>An issue's fields as the simulated Jira serves them (v3, Cloud).</summary>
    public static async Task<JsonElement> GetJiraIssueFieldsAsync(this JiraExportSystem system, string key, string fields, CancellationToken cancellationToken)
    {
        using var client = system.CreateSimulatorClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("demo@example.com:sim-api-token"u8.ToArray()));
        var issue = await client.GetFromJsonAsync<JsonElement>($"/rest/api/3/issue/{key}?fields={Uri.EscapeDataString(fields)}", cancellationToken);
        return issue.GetProperty("fields");
    }
}
