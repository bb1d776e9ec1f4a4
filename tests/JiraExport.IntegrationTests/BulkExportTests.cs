using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Bulk exports end to end: one request, many documents rendered as parts on the work queue, one package (a ZIP with a
/// manifest, or a merged PDF with a bookmark per part); validation, cancellation, and a Worker killed half-way.
/// </summary>
public sealed class BulkExportTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkByIssueIsAZipWithOneValidPdfPerIssueAndAManifest()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var keys = Enumerable.Range(1, 25).Select(n => $"DELTA-{n}").ToList();
        var id = await tenant.RequestBulkExportAsync(new
        {
            connectionId = tenant.ConnectionId, splitBy = "issue", jql = $"key in ({string.Join(", ", keys)}) ORDER BY key ASC", format = "pdf", package = "zip",
        }, Token);

        var export = await tenant.WaitForBulkExportAsync(id, Token);
        Assert.Equal(("succeeded", 100, null), (export.Status, export.Progress, export.Error));
        Assert.Equal(new BulkSummary("issue", "zip", 25, 25, 0, 0), export.Bulk);
        Assert.Equal(25, export.IssueCount);
        Assert.EndsWith(".zip", export.FileName);

        using var zip = await tenant.DownloadZipAsync(id, Token);
        var pdfs = zip.Entries.Where(e => e.FullName != "manifest.json").ToList();
        Assert.Equal(25, pdfs.Count);
        Assert.Equal(pdfs.Count, pdfs.Select(e => e.FullName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // Entries are named after the parts' files, which are named after their issue; each holds that issue.
        var named = pdfs.ToDictionary(e => e.FullName[..e.FullName.IndexOf('-', e.FullName.IndexOf('-') + 1)], e => e);
        Assert.Equal(keys.Order(), named.Keys.Order());
        foreach (var (key, entry) in named)
        {
            Assert.EndsWith(".pdf", entry.FullName);
            using var pdf = PdfDocument.Open(await entry.ReadEntryAsync(Token));
            Assert.Contains(key, string.Concat(pdf.GetPages().Select(p => p.Text)));
        }

        using var manifest = JsonDocument.Parse(await zip.GetEntry("manifest.json")!.ReadEntryAsync(Token));
        Assert.Equal(25, manifest.RootElement.GetProperty("succeeded").GetInt32());
        var entries = manifest.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(keys, entries.Select(e => e.GetProperty("label").GetString()));
        Assert.All(entries, e => Assert.NotNull(zip.GetEntry(e.GetProperty("file").GetString()!)));

        // Aggregate progress reaches clients as a few parent events; the parts themselves stay quiet.
        var parentEvents = await system.CountAsOwnerAsync("SELECT count(*) FROM domain_events WHERE aggregate_id = @id", id, Token);
        Assert.InRange(parentEvents, 4, 30);
        Assert.Equal(0, await system.CountAsOwnerAsync(
            "SELECT count(*) FROM domain_events WHERE aggregate_id IN (SELECT id FROM exports WHERE parent_export_id = @id)", id, Token));
        // The parts are listed under their bulk export, not among the tenant's exports.
        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/exports?limit=100", Token);
        Assert.Equal([id], list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task BulkByProjectAsMergedPdfHasOneBookmarkPerProjectOnItsFirstPage()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var id = await tenant.RequestBulkExportAsync(new
        {
            connectionId = tenant.ConnectionId, splitBy = "project", jql = "key in (GAMMA-3, ALPHA-1, BETA-2, ALPHA-2, GAMMA-4) ORDER BY key ASC",
            format = "pdf", package = "merged-pdf", title = "Quarterly",
        }, Token);

        var export = await tenant.WaitForBulkExportAsync(id, Token);
        Assert.Equal("succeeded", export.Status);
        Assert.Equal(new BulkSummary("project", "merged-pdf", 3, 3, 0, 0), export.Bulk);
        Assert.Equal(5, export.IssueCount);
        var parts = await tenant.GetPartsAsync(id, Token);
        Assert.Equal(["project = \"ALPHA\" AND (key in (GAMMA-3, ALPHA-1, BETA-2, ALPHA-2, GAMMA-4)) ORDER BY key ASC"], parts.Take(1).Select(p => p.Jql));
        Assert.Equal([2, 1, 2], parts.Select(p => p.IssueCount ?? 0));

        using var file = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", Token);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        var merged = await file.Content.ReadAsByteArrayAsync(Token);
        await PdfTools.AssertStructureIsCleanAsync(merged, password: null, Token);
        using var pdf = PdfDocument.Open(merged);
        Assert.True(pdf.TryGetBookmarks(out var bookmarks, false), "The merged PDF has no bookmarks.");
        var roots = bookmarks.Roots.Cast<UglyToad.PdfPig.Outline.DocumentBookmarkNode>().ToList();
        Assert.Equal(["ALPHA", "BETA", "GAMMA"], roots.Select(b => b.Title));
        Assert.Equal(1, roots[0].PageNumber);
        Assert.Equal(roots.Select(b => b.PageNumber).Order(), roots.Select(b => b.PageNumber).Distinct());
        for (var i = 0; i < roots.Count; i++)
        {
            var text = pdf.GetPage(roots[i].PageNumber).Text;
            Assert.Contains($"Quarterly – {roots[i].Title}", text);
        }

        Assert.Contains("ALPHA-2", pdf.GetPage(roots[0].PageNumber).Text);
        Assert.Contains("GAMMA-4", pdf.GetPage(roots[2].PageNumber).Text);
    }

    [Fact]
    public async Task BulkByJqlListPackagesTheQueriesThatWorkedAndTheManifestSaysWhichFailed()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var id = await tenant.RequestBulkExportAsync(new
        {
            connectionId = tenant.ConnectionId, splitBy = "jqlList", jqlList = new[] { "key = BETA-1", "key in (BETA-2, BETA-3)", "project = NOSUCHPROJECT" },
            format = "pdf",
        }, Token);

        // Partial success: the package holds what worked, the parent says how much failed.
        var export = await tenant.WaitForBulkExportAsync(id, Token);
        Assert.Equal("succeeded", export.Status);
        Assert.Equal(new BulkSummary("jqlList", "zip", 3, 2, 1, 0), export.Bulk);
        Assert.Contains("1 of 3 documents failed", export.Error);

        using var zip = await tenant.DownloadZipAsync(id, Token);
        Assert.Equal(3, zip.Entries.Count);
        using var manifest = JsonDocument.Parse(await zip.GetEntry("manifest.json")!.ReadEntryAsync(Token));
        var entries = manifest.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["succeeded", "succeeded", "failed"], entries.Select(e => e.GetProperty("status").GetString()));
        Assert.Equal([1, 2], entries.Take(2).Select(e => e.GetProperty("issueCount").GetInt32()));
        Assert.Contains("NOSUCHPROJECT", entries[2].GetProperty("error").GetString());
        Assert.False(entries[2].TryGetProperty("file", out _));
    }

    [Fact]
    public async Task BulkBySprintMakesOneDocumentPerSprintOfTheSyncedIssues()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var keys = Enumerable.Range(1, 30).Select(n => $"DELTA-{n}").ToList();
        var jql = $"key in ({string.Join(", ", keys)}) ORDER BY key ASC";

        // Sprints come from the synced copy: without a sync the bulk export fails and says what to do.
        var early = await tenant.RequestBulkExportAsync(new { connectionId = tenant.ConnectionId, splitBy = "sprint", jql }, Token);
        var refused = await tenant.WaitForBulkExportAsync(early, Token);
        Assert.Equal("failed", refused.Status);
        Assert.Contains("sync this connection first", refused.Error);

        Assert.Equal("succeeded", (await tenant.SyncAsync(new { mode = "full", projects = new[] { "DELTA" } }, Token)).Status);
        var id = await tenant.RequestBulkExportAsync(new { connectionId = tenant.ConnectionId, splitBy = "sprint", jql, format = "pdf" }, Token);
        var export = await tenant.WaitForBulkExportAsync(id, Token);
        Assert.Equal(("succeeded", null), (export.Status, export.Error));

        var sprints = new Dictionary<string, int>();
        foreach (var key in keys)
        {
            foreach (var sprint in (await tenant.GetStoredIssueAsync(key, Token)).Sprints)
            {
                sprints[sprint.Name] = sprints.GetValueOrDefault(sprint.Name) + 1;
            }
        }

        var parts = await tenant.GetPartsAsync(id, Token);
        Assert.True(sprints.Count > 1, $"The first issues of DELTA are in {sprints.Count} sprints.");
        Assert.Equal(sprints.Count, export.Bulk!.Parts);
        Assert.Equal(sprints.OrderBy(s => s.Key), parts.Select(p => KeyValuePair.Create(p.Title!, p.IssueCount ?? 0)).OrderBy(s => s.Key));
        Assert.All(parts, p => Assert.StartsWith("sprint = ", p.Jql));
    }

    [Fact]
    public async Task InvalidBulkRequestsAnswerProblemsThatSayWhatToFix()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var cases = new (object Body, string Field)[]
        {
            (new { connectionId = tenant.ConnectionId, splitBy = "issue", jql = "project = BETA", format = "csv", package = "merged-pdf" }, "package"),
            (new { connectionId = tenant.ConnectionId, splitBy = "jqlList", jqlList = Enumerable.Repeat("project = BETA", 1001).ToArray() }, "jqlList"),
            (new { connectionId = tenant.ConnectionId, splitBy = "jqlList", jqlList = Array.Empty<string>() }, "jqlList"),
            (new { connectionId = tenant.ConnectionId, splitBy = "jqlList", jql = "project = BETA", jqlList = new[] { "key = BETA-1" } }, "jql"),
            (new { connectionId = tenant.ConnectionId, splitBy = "issue", jqlList = new[] { "key = BETA-1" } }, "jql"),
            (new { connectionId = tenant.ConnectionId, splitBy = "epic", jql = "project = BETA" }, "splitBy"),
            (new { connectionId = tenant.ConnectionId, splitBy = "issue", jql = "project = BETA", package = "tar" }, "package"),
            (new { connectionId = Guid.NewGuid(), splitBy = "issue", jql = "project = BETA" }, "connectionId"),
        };

        foreach (var (body, field) in cases)
        {
            using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports/bulk", body, Token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"No error for {field} in {errors}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }

        // Nothing was queued for a refused request.
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/exports", Token)).GetProperty("items").EnumerateArray());

        // A finished export cannot be cancelled; an unknown one is not found.
        var single = await tenant.RequestExportAsync("key = BETA-4", Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(single, Token)).Status);
        using var late = await tenant.Client.PostAsync($"/api/v1/exports/{single}/cancel", null, Token);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("succeeded", (await late.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("detail").GetString());
        using var unknown = await tenant.Client.PostAsync($"/api/v1/exports/{Guid.NewGuid()}/cancel", null, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task CancellingABulkMidWayCancelsItsUnfinishedPartsAndMakesNoPackage()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var id = await tenant.RequestBulkExportAsync(new { connectionId = tenant.ConnectionId, splitBy = "issue", jql = "project = DELTA ORDER BY key ASC" }, Token);
        await system.WaitForSucceededPartsAsync(id, 3, Token);

        using var cancel = await tenant.Client.PostAsync($"/api/v1/exports/{id}/cancel", null, Token);
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, $"The cancel answered {cancel.StatusCode}; the Api logged:\n{system.Api.RecentOutput}");
        var reply = await cancel.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("cancelled", reply.GetProperty("status").GetString());
        // The reply counts the parts as GET does (it once answered null counts).
        Assert.Equal(JsonValueKind.Number, reply.GetProperty("bulk").GetProperty("succeeded").ValueKind);
        Assert.Equal(JsonValueKind.Number, reply.GetProperty("bulk").GetProperty("cancelled").ValueKind);
        var succeededAtCancel = await system.CountAsOwnerAsync(
            "SELECT count(*) FROM exports WHERE parent_export_id = @id AND status = 'Succeeded'", id, Token);

        // A single export queued after the cancel runs behind every part's job: once it is done, each was taken and skipped.
        var marker = await tenant.RequestExportAsync("key = DELTA-7", Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(marker, Token)).Status);

        var export = await tenant.GetBulkExportAsync(id, Token);
        Assert.Equal("cancelled", export.Status);
        Assert.Equal(500, export.Bulk!.Parts);
        Assert.Equal((int)succeededAtCancel, export.Bulk.Succeeded);
        // A cancel during planning also stops the planning: parts not created by then never are, and count as cancelled.
        var created = await system.CountAsOwnerAsync("SELECT count(*) FROM exports WHERE parent_export_id = @id", id, Token);
        Assert.InRange(created, succeededAtCancel + 1, 500);
        Assert.Equal(500 - (int)succeededAtCancel, export.Bulk.Cancelled);
        Assert.Equal(0, await system.CountAsOwnerAsync("SELECT count(*) FROM export_files WHERE export_id = @id", id, Token));
        // No part rendered after the cancel stored a file.
        Assert.Equal(succeededAtCancel, await system.CountAsOwnerAsync(
            "SELECT count(*) FROM export_files WHERE export_id IN (SELECT id FROM exports WHERE parent_export_id = @id)", id, Token));
        Assert.Equal(1, await system.CountAsOwnerAsync(
            "SELECT count(*) FROM domain_events WHERE aggregate_id = @id AND type = 'cancelled'", id, Token));

        using var file = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", Token);
        Assert.Equal(HttpStatusCode.Conflict, file.StatusCode);
        using var again = await tenant.Client.PostAsync($"/api/v1/exports/{id}/cancel", null, Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var cancelledOnly = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/exports?status=cancelled", Token);
        Assert.Equal([id], cancelledOnly.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task KilledWorkerMidBulkStillMakesOneDocumentPerPartAndOnePackage()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var keys = Enumerable.Range(1, 60).Select(n => $"GAMMA-{n}").ToList();
        var id = await tenant.RequestBulkExportAsync(new
        {
            connectionId = tenant.ConnectionId, splitBy = "issue", jql = $"key in ({string.Join(", ", keys)}) ORDER BY key ASC",
        }, Token);
        await system.WaitForSucceededPartsAsync(id, 5, Token);

        // Counted while the Worker is dead: the kill must land with parts still to do, or the test proves nothing.
        long partsDoneAtKill = 0;
        await system.RestartWorkerAfterCrashAsync(async () => partsDoneAtKill = await system.CountAsOwnerAsync(
            "SELECT count(*) FROM exports WHERE parent_export_id = @id AND status = 'Succeeded'", id, Token), Token);
        Assert.InRange(partsDoneAtKill, 5, 59);

        var export = await tenant.WaitForBulkExportAsync(id, Token);
        Assert.Equal(("succeeded", null), (export.Status, export.Error));
        Assert.Equal(new BulkSummary("issue", "zip", 60, 60, 0, 0), export.Bulk);

        Assert.Equal(60, await system.CountAsOwnerAsync("SELECT count(*) FROM exports WHERE parent_export_id = @id", id, Token));
        Assert.Equal(60, await system.CountAsOwnerAsync("SELECT count(DISTINCT ordinal) FROM exports WHERE parent_export_id = @id", id, Token));
        Assert.Equal(60, await system.CountAsOwnerAsync(
            "SELECT count(*) FROM export_files WHERE export_id IN (SELECT id FROM exports WHERE parent_export_id = @id)", id, Token));
        Assert.Equal(1, await system.CountAsOwnerAsync("SELECT count(*) FROM export_files WHERE export_id = @id", id, Token));
        Assert.Equal(1, await system.CountAsOwnerAsync("SELECT count(*) FROM domain_events WHERE aggregate_id = @id AND type = 'completed'", id, Token));

        using var zip = await tenant.DownloadZipAsync(id, Token);
        var pdfs = zip.Entries.Where(e => e.FullName != "manifest.json").ToList();
        Assert.Equal(60, pdfs.Count);
        Assert.Equal(keys.Order(), pdfs.Select(e => e.FullName[..e.FullName.IndexOf('-', e.FullName.IndexOf('-') + 1)]).Order());
    }
}
