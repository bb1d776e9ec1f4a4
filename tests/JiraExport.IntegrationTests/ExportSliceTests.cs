using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using UglyToad.PdfPig;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The vertical slice: a tenant connects a Jira, exports a PDF, watches it live, downloads it.</summary>
public sealed partial class ExportSliceTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoThousandIssueExportHoldsEveryKeyReadableCyrillicAndPageNumbers()
    {
        var tenant = await system.CreateTenantAsync(Token);
        // Subscribe first, then act: no event can slip between the two.
        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        await listener.Connection.InvokeAsync("SubscribeToTenant", Token);

        var exportId = await tenant.RequestExportAsync("project = ALPHA ORDER BY key ASC", Token, title: "Alpha — отчёт");
        var completed = await listener.WaitForFinishAsync(TimeSpan.FromMinutes(3), Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);

        Assert.Equal("succeeded", export.Status);
        Assert.Equal(2000, export.IssueCount);
        Assert.Equal(100, export.Progress);
        Assert.Equal(exportId, completed.ExportId);
        Assert.Equal("succeeded", completed.Status);
        Assert.Equal(2000, completed.IssueCount);

        // Live events: several progress steps, each sequence higher than the last, ending in completion.
        var events = listener.Events.Where(e => e.Event.ExportId == exportId).ToList();
        Assert.True(events.Count(e => e.Method == "exportProgress") >= 3, $"Only {events.Count} events arrived.");
        Assert.Equal(events.Select(e => e.Event.Sequence).Order(), events.Select(e => e.Event.Sequence));
        Assert.Equal("exportCompleted", events[^1].Method);

        using var file = await tenant.Client.GetAsync($"/api/v1/exports/{exportId}/file", Token);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await file.Content.ReadAsByteArrayAsync(Token);
        Assert.Equal(export.SizeBytes, bytes.Length);

        using var pdf = PdfDocument.Open(bytes);
        Assert.True(pdf.NumberOfPages > 10, $"{pdf.NumberOfPages} pages for 2,000 issues");
        var pages = pdf.GetPages().Select(p => p.Text).ToList();
        var text = string.Concat(pages);

        var keys = IssueKey().Matches(text).Select(m => m.Value).ToHashSet();
        var missing = Enumerable.Range(1, 2000).Select(n => $"ALPHA-{n}").Where(k => !keys.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"Missing keys: {string.Join(", ", missing.Take(20))}");

        // A Russian summary as Jira holds it must read back letter for letter (the font is embedded, not substituted).
        var russianSummary = await FirstRussianSummaryAsync("ALPHA");
        Assert.Contains(Squash(russianSummary), Squash(text));

        for (var page = 1; page <= pdf.NumberOfPages; page += Math.Max(1, pdf.NumberOfPages / 5))
        {
            Assert.Contains($"{page} / {pdf.NumberOfPages}", pages[page - 1]);
        }

        Assert.Contains($"{pdf.NumberOfPages} / {pdf.NumberOfPages}", pages[^1]);
    }

    [Fact]
    public async Task ExportListIsNewestFirstWithCursorPagingAndStatusFilter()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var ids = new List<Guid>();
        foreach (var key in new[] { "BETA-1", "BETA-2", "BETA-3" })
        {
            ids.Add(await tenant.RequestExportAsync($"key = {key}", Token));
        }

        foreach (var id in ids)
        {
            Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(id, Token)).Status);
        }

        var first = await tenant.Client.GetFromJsonAsync<ExportPage>("/api/v1/exports?limit=2", Token);
        Assert.Equal([ids[2], ids[1]], first!.Items.Select(e => e.Id));
        Assert.NotNull(first.NextCursor);

        var second = await tenant.Client.GetFromJsonAsync<ExportPage>($"/api/v1/exports?limit=2&cursor={first.NextCursor}", Token);
        Assert.Equal([ids[0]], second!.Items.Select(e => e.Id));
        Assert.Null(second.NextCursor);

        var failedOnly = await tenant.Client.GetFromJsonAsync<ExportPage>("/api/v1/exports?status=failed", Token);
        Assert.Empty(failedOnly!.Items);

        using var badCursor = await tenant.Client.GetAsync("/api/v1/exports?cursor=not-a-cursor", Token);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        Assert.Equal("application/problem+json", badCursor.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DataCenterConnectionWithAPersonalAccessTokenPagesByStartAt()
    {
        var tenant = await system.CreateTenantAsync(Token, deployment: "datacenter",
            auth: new { type = "bearer", token = "sim-personal-access-token" });
        using var test = await tenant.Client.PostAsync($"/api/v1/connections/{tenant.ConnectionId}/test", null, Token);
        Assert.True((await test.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("ok").GetBoolean());

        var exportId = await tenant.RequestExportAsync("project = GAMMA ORDER BY key DESC", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("succeeded", export.Status);
        Assert.Equal(1000, export.IssueCount);

        var bytes = await tenant.Client.GetByteArrayAsync($"/api/v1/exports/{exportId}/file", Token);
        using var pdf = PdfDocument.Open(bytes);
        // Descending order survives paging by startAt: the report starts at the highest key and only goes down.
        var keys = pdf.GetPages().SelectMany(p => GammaKey().Matches(p.Text)).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 1000).Reverse(), keys);
    }

    [Fact]
    public async Task ApiVersionHeaderIsAcceptedBesideTheUrlSegment()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/connections");
        request.Headers.Add("api-version", "1.0");
        using var response = await tenant.Client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // v1 is answered, and named as deprecated beside the supported v2.
        Assert.Equal("2.0", response.Headers.GetValues("api-supported-versions").Single());
        Assert.Equal("1.0", response.Headers.GetValues("api-deprecated-versions").Single());
    }

    private async Task<string> FirstRussianSummaryAsync(string project)
    {
        using var simulator = system.CreateSimulatorClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rest/api/3/search/jql")
        {
            Content = JsonContent.Create(new { jql = $"project = {project} ORDER BY key ASC", fields = new[] { "summary" }, maxResults = 100 }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String("demo@example.com:sim-api-token"u8.ToArray()));
        using var response = await simulator.SendAsync(request, Token);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return json.RootElement.GetProperty("issues").EnumerateArray()
            .Select(i => i.GetProperty("fields").GetProperty("summary").GetString()!)
            .First(s => Cyrillic().IsMatch(s) && !s.Any(char.IsSurrogate));
    }

    private static string Squash(string text) => WhiteSpace().Replace(text, string.Empty);

    [GeneratedRegex(@"ALPHA-\d+")]
    private static partial Regex IssueKey();

    [GeneratedRegex(@"GAMMA-(\d+)")]
    private static partial Regex GammaKey();

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex Cyrillic();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    private sealed record ExportPage(List<ExportState> Items, string? NextCursor);
}
