using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>XLSX read back with the Open XML SDK, the CSV byte order mark, and field selections with custom fields.</summary>
public sealed partial class ExportFormatTests
{
    private const string DoneInDelta = "project = DELTA AND status = Done ORDER BY key ASC";
    private static readonly string[] Selection = ["key", "summary", "created", "Story Points", "labels", "issuetype", "customfield_10016"];

    [Fact]
    public async Task XlsxHasTypedCellsABoldFrozenHeaderAndAnAutoFilter()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (_, _, json) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = DoneInDelta, ["format"] = "json", ["source"] = "live", ["fields"] = Selection }, Token);
        var (_, file, xlsx) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = DoneInDelta, ["format"] = "xlsx", ["source"] = "live", ["fields"] = Selection }, Token);

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file.Content.Headers.ContentType?.MediaType);
        var issues = JsonDocument.Parse(json).RootElement.GetProperty("issues").EnumerateArray().ToList();
        Assert.NotEmpty(issues);

        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = Assert.Single(workbook.Workbook.Sheets!.Elements<Sheet>());
        Assert.Equal("Issues", sheet.Name?.Value);
        var worksheet = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;

        var pane = worksheet.GetFirstChild<SheetViews>()!.GetFirstChild<SheetView>()!.GetFirstChild<Pane>()!;
        Assert.Equal((PaneStateValues.Frozen, 1D, "A2"), (pane.State!.Value, pane.VerticalSplit!.Value, pane.TopLeftCell!.Value));
        Assert.Equal($"A1:G{issues.Count + 1}", worksheet.GetFirstChild<AutoFilter>()!.Reference!.Value);
        Assert.Equal(7, worksheet.GetFirstChild<Columns>()!.Elements<Column>().Count(c => c.Width! > 0));

        var rows = worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        Assert.Equal(issues.Count + 1, rows.Count);
        var header = rows[0].Elements<Cell>().ToList();
        Assert.Equal(["Key", "Summary", "Created", "Story Points", "Labels", "Issue Type", "Story Points"], header.Select(c => c.InlineString!.InnerText));
        var bold = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)header[0].StyleIndex!.Value);
        Assert.NotNull(workbook.WorkbookStylesPart.Stylesheet.Fonts!.Elements<Font>().ElementAt((int)bold.FontId!.Value).Bold);

        var withPoints = 0;
        for (var i = 0; i < issues.Count; i++)
        {
            var cells = rows[i + 1].Elements<Cell>().ToDictionary(c => new string(c.CellReference!.Value!.TakeWhile(char.IsLetter).ToArray()));
            var issue = issues[i];
            // Text is inline text, never a formula or a shared string.
            Assert.Equal(CellValues.InlineString, cells["A"].DataType!.Value);
            Assert.Equal(issue.GetProperty("key").GetString(), cells["A"].InlineString!.InnerText);
            Assert.Null(cells["B"].CellFormula);

            // The instant is an Excel date with a date format, the same moment the JSON names.
            var created = issue.GetProperty("created").GetDateTimeOffset();
            Assert.Null(cells["C"].DataType);
            Assert.Equal(created.UtcDateTime, DateTime.FromOADate(double.Parse(cells["C"].CellValue!.Text, CultureInfo.InvariantCulture)), TimeSpan.FromMilliseconds(1));
            var dateFormat = workbook.WorkbookStylesPart.Stylesheet.CellFormats.Elements<CellFormat>().ElementAt((int)cells["C"].StyleIndex!.Value);
            Assert.Equal(164U, dateFormat.NumberFormatId!.Value);

            if (issue.GetProperty("Story Points") is { ValueKind: JsonValueKind.Number } points)
            {
                withPoints++;
                Assert.Null(cells["D"].DataType);
                Assert.Equal(points.GetDouble(), double.Parse(cells["D"].CellValue!.Text, CultureInfo.InvariantCulture));
                Assert.Equal(cells["D"].CellValue!.Text, cells["G"].CellValue!.Text);
            }
        }

        Assert.True(withPoints > 0, "No issue of the selection had story points; the numeric cells went untested.");
    }

    [Fact]
    public async Task CsvCarriesAByteOrderMarkWhenAskedAndTheSelectedFieldsIncludingACustomFieldByName()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var fields = new[] { "key", "status", "Story Points", "labels", "updated" };
        var (_, _, withBom) = await tenant.ExportAndDownloadAsync(new()
        {
            ["jql"] = "key = DELTA-2", ["format"] = "csv", ["source"] = "live", ["fields"] = fields, ["options"] = new { csvBom = true },
        }, Token);
        var (_, _, withoutBom) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = "key = DELTA-2", ["format"] = "csv", ["source"] = "live" }, Token);

        Assert.Equal([0xEF, 0xBB, 0xBF], withBom[..3]);
        Assert.Equal((byte)'K', withoutBom[0]);
        var lines = Encoding.UTF8.GetString(withBom[3..]).Split("\r\n");
        Assert.Equal("Key,Status,Story Points,Labels,Updated", lines[0]);

        var jira = await system.GetJiraIssueFieldsAsync("DELTA-2", "status,customfield_10016,labels,updated", Token);
        var points = jira.GetProperty("customfield_10016") is { ValueKind: JsonValueKind.Number } n ? n.GetDouble().ToString(CultureInfo.InvariantCulture) : "";
        var labels = string.Join(", ", jira.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var updated = jira.GetProperty("updated").GetString()!;
        var expectedUpdated = Core.Jira.JiraDateTimeOffsetConverter.Parse(updated).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var csvLabels = labels.Contains(',') ? $"\"{labels}\"" : labels;
        Assert.Equal($"DELTA-2,{jira.GetProperty("status").GetProperty("name").GetString()},{points},{csvLabels},{expectedUpdated}", lines[1]);
        // Without a selection, the columns of before.
        Assert.StartsWith("Key,Summary,Status,Assignee,Priority,Updated\r\n", Encoding.UTF8.GetString(withoutBom));
    }

    [Fact]
    public async Task JsonCarriesTheSelectedFieldsAndTheStoreAndJiraGiveTheSameValues()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = DELTA AND status = Done" }, Token);
        var fields = new[] { "key", "summary", "status", "statusCategory", "assignee", "reporter", "priority", "created", "updated", "labels", "project", "parent", "description", "Story Points", "Sprint" };

        var (storeId, _, store) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = DoneInDelta, ["format"] = "json", ["fields"] = fields }, Token);
        var (liveId, _, live) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = DoneInDelta, ["format"] = "json", ["source"] = "live", ["fields"] = fields }, Token);

        // The comparison means something only if the two really were read two ways (a store export without a watermark
        // falls back to reading Jira).
        var storeExport = await tenant.GetExportJsonAsync(storeId, Token);
        Assert.Equal("store", storeExport.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.String, storeExport.GetProperty("syncWatermark").ValueKind);
        Assert.Equal("live", (await tenant.GetExportJsonAsync(liveId, Token)).GetProperty("source").GetString());

        var fromStore = JsonDocument.Parse(store).RootElement;
        var fromJira = JsonDocument.Parse(live).RootElement;
        Assert.Equal("jiraexport.issue-list/v1", fromStore.GetProperty("schema").GetString());
        Assert.Equal(fields, fromStore.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("dateTime", fromStore.GetProperty("fields")[7].GetProperty("type").GetString());
        Assert.Equal("list", fromStore.GetProperty("fields")[9].GetProperty("type").GetString());
        var issues = fromStore.GetProperty("issues").EnumerateArray().ToList();
        Assert.Equal(issues.Count, fromStore.GetProperty("issueCount").GetInt32());
        Assert.True(issues.Count > 1);
        Assert.Equal(fields, issues[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, issues[0].GetProperty("labels").ValueKind);
        Assert.Equal("done", issues[0].GetProperty("statusCategory").GetString());
        Assert.Contains(issues, i => i.GetProperty("Sprint").ValueKind == JsonValueKind.Array && i.GetProperty("Sprint").GetArrayLength() > 0);
        Assert.Contains(issues, i => i.GetProperty("description").GetString() is { Length: > 0 });

        // Same rows, same values, whichever way the issues were read.
        Assert.Equal(fromJira.GetProperty("issues").GetRawText(), fromStore.GetProperty("issues").GetRawText());
    }

    [Fact]
    public async Task AnUnknownStandardFieldIsRefusedAtOnceAndAnUnknownCustomFieldFailsTheExportNamingTheFieldsThatExist()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var refused = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql = "key = DELTA-1", format = "csv", fields = new[] { "key", "statuss", "Story Points" } }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").GetProperty("fields")[0].GetString()!;
        Assert.StartsWith("Unknown field \"statuss\". Standard fields: key, id, summary, status, statusCategory,", message);
        Assert.Contains("customfield_10016", message);

        var id = await tenant.RequestExportAsync(new() { ["jql"] = "key = DELTA-1", ["format"] = "csv", ["fields"] = new[] { "key", "Team Mood" } }, Token);
        var failed = await tenant.WaitForExportToFinishAsync(id, Token);
        Assert.Equal("failed", failed.Status);
        Assert.StartsWith("Unknown field \"Team Mood\": neither a standard field nor a field of this Jira site.", failed.Error);
        Assert.Contains("Story Points (customfield_10016)", failed.Error);
    }
}
