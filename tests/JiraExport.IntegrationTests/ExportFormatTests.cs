using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>CSV, XLSX and JSON exports: what a spreadsheet or a script receives, including summaries written to attack them.</summary>
public sealed partial class ExportFormatTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\"), \"quoted\"";
    private const string AtFormula = "@SUM(1+1)";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CsvFollowsRfc4180AndDefusesFormulasWhileJsonKeepsEveryCharacter()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var formulaKey = await system.CreateJiraIssueAsync("DELTA", Formula, Token);
        var atKey = await system.CreateJiraIssueAsync("DELTA", AtFormula, Token);
        var jql = $"key in (DELTA-2, {formulaKey}, {atKey}) ORDER BY key ASC";

        var (csvType, csvName, csvBytes) = await ExportAsync(tenant, jql, "csv");
        var (jsonType, jsonName, jsonBytes) = await ExportAsync(tenant, jql, "json");

        Assert.Equal(("text/csv", ".csv"), (csvType, Path.GetExtension(csvName)));
        var lines = Encoding.UTF8.GetString(csvBytes).Split("\r\n");
        Assert.Equal("Key,Summary,Status,Assignee,Priority,Updated", lines[0]);
        Assert.Equal(5, lines.Length); // header, three rows, and the empty string after the last CRLF
        Assert.Equal("", lines[^1]);
        // Quotes doubled, the cell quoted (it holds commas and quotes), and an apostrophe before the formula.
        Assert.StartsWith($"{formulaKey},\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\"), \"\"quoted\"\"\",To Do,", lines.Single(l => l.StartsWith(formulaKey + ",", StringComparison.Ordinal)));
        Assert.StartsWith($"{atKey},'@SUM(1+1),To Do,", lines.Single(l => l.StartsWith(atKey + ",", StringComparison.Ordinal)));

        Assert.Equal(("application/json", ".json"), (jsonType, Path.GetExtension(jsonName)));
        using var json = JsonDocument.Parse(jsonBytes);
        var root = json.RootElement;
        Assert.Equal(("jiraexport.issue-list/v1", 3), (root.GetProperty("schema").GetString(), root.GetProperty("issueCount").GetInt32()));
        var issues = root.GetProperty("issues").EnumerateArray().ToList();
        Assert.Equal(["DELTA-2", formulaKey, atKey], issues.Select(i => i.GetProperty("key").GetString()));
        Assert.Equal(Formula, issues[1].GetProperty("summary").GetString());
        Assert.Equal(AtFormula, issues[2].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task AnUnknownFormatIsRefusedNamingTheOnesThatExist()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql = "key = DELTA-1", format = "docx" }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("Format must be \"pdf\", \"csv\", \"xlsx\" or \"json\".", problem.GetProperty("errors").GetProperty("format")[0].GetString());
    }

    private static async Task<(string? ContentType, string? FileName, byte[] Content)> ExportAsync(TestTenant tenant, string jql, string format)
    {
        using var request = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql, format, source = "live" }, Token);
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        var id = (await request.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
        var export = await tenant.WaitForExportToFinishAsync(id, Token);
        Assert.True(export.Status == "succeeded", export.ToString());

        using var file = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", Token);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        return (file.Content.Headers.ContentType?.MediaType, file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName,
            await file.Content.ReadAsByteArrayAsync(Token));
    }
}
