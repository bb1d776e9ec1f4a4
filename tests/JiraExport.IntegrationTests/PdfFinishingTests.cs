using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Actions;
using UglyToad.PdfPig.Annotations;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Outline;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>PDF finishing read back from the files: watermark, metadata, bookmarks, contents and Jira links, page numbers, signature (pdfsig), encryption, tenant policy.</summary>
public sealed class PdfFinishingTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Jql = "project = DELTA ORDER BY key ASC";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WatermarkMetadataAndOutlineAreInTheFinishedFile()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (export, pdf) = await ExportPdfAsync(tenant, "Quarterly review", new
        {
            watermark = new { text = "CONFIDENTIAL — {user} — {date}", opacity = 0.25, angle = 30 },
        });

        Assert.Equal(pdf.Length, export.SizeBytes);
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages > 3, $"{document.NumberOfPages} pages for 500 issues");
        var mark = $"CONFIDENTIAL — API key \"default\" — {export.CreatedAt.UtcDateTime:yyyy-MM-dd}";
        foreach (var page in document.GetPages())
        {
            Assert.Contains(mark, page.Text);
        }

        var info = document.Information;
        Assert.Equal(("Quarterly review", "API key \"default\"", "JiraExport"), (info.Title, info.Author, info.Creator));
        Assert.Equal($"Jira issues matching: {Jql}", info.Subject);
        Assert.StartsWith("Jira, issue-list, Tenant t-", info.Keywords);

        // The report's title is its one h1: a bookmark that opens page 1.
        Assert.True(document.TryGetBookmarks(out var bookmarks));
        var node = Assert.Single(bookmarks.GetNodes());
        Assert.Equal(("Quarterly review", 0), (node.Title, node.Level));
        Assert.Equal(1, Assert.IsType<DocumentBookmarkNode>(node).PageNumber);
    }

    [Fact]
    public async Task TheDetailReportPrintedInPartsReadsBackAsOneWithContentsBookmarksJiraLinksAndPageNumbers()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        await listener.Connection.InvokeAsync("SubscribeToTenant", Token);
        var keys = Enumerable.Range(1, 40).Select(n => $"DELTA-{n}").ToList();
        var (export, pdf) = await ExportPdfAsync(tenant, "Delta in detail", new { toc = true, watermark = new { text = "INTERNAL", opacity = 0.1 } }, "issue-detail", $"key in ({string.Join(", ", keys)}) ORDER BY key ASC");

        // The print reports its progress part by part, each step higher than the last.
        await listener.WaitForFinishAsync(TimeSpan.FromMinutes(1), Token);
        var printed = listener.Events.Where(e => e.Event.ExportId == export.Id && e.Event.Message?.StartsWith("Printed part ", StringComparison.Ordinal) == true)
            .Select(e => e.Event).ToList();
        Assert.True(printed.Count >= 2, string.Join('\n', listener.Events.Select(e => $"{e.Event.Progress} % {e.Event.Message}")));
        var parts = int.Parse(printed[^1].Message!.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Printed part {parts} of {parts} of the PDF", printed[^1].Message);
        Assert.Equal(printed.Select(e => e.Progress).Order().Distinct(), printed.Select(e => e.Progress));
        Assert.InRange(printed[0].Progress, 61, 94);

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        var words = pages.Select(p => p.GetWords().ToList()).ToList();
        Assert.True(pages.Count > 5, $"{pages.Count} pages for 40 issues in detail");

        // The outline: the title, one bookmark per issue in order, each opening the page where that issue's heading is;
        // under each issue its sections (a report this small keeps the third level).
        Assert.True(document.TryGetBookmarks(out var bookmarks));
        var title = Assert.Single(bookmarks.Roots);
        Assert.Equal("Delta in detail", title.Title);
        var issues = title.Children.Cast<DocumentBookmarkNode>().ToList();
        Assert.Equal(keys, issues.Select(node => node.Title.Split(' ')[0]));
        Assert.All(issues, node => Assert.Equal("Description", node.Children.First().Title));
        var issuePage = issues.ToDictionary(node => node.Title.Split(' ')[0], node => node.PageNumber);
        Assert.Equal(issuePage.Values.Order(), issuePage.Values);
        Assert.True(issuePage[keys[^1]] > issuePage[keys[0]], "the issues span several pages");
        Assert.All(issuePage, entry => Assert.Contains(words[entry.Value - 1], w => w.Text == entry.Key));

        // The table of contents: a link per issue that opens the same page as its bookmark.
        var contents = pages[0].GetAnnotations()
            .Where(a => a is { Type: AnnotationType.Link, Action: GoToAction })
            .Select(a => (Key: WordsIn(words[0], a).FirstOrDefault(w => w.StartsWith("DELTA-", StringComparison.Ordinal)), Page: ((GoToAction)a.Action!).Destination.PageNumber))
            .Where(link => link.Key is not null)
            .ToList();
        Assert.Equal(keys, contents.Select(link => link.Key));
        Assert.All(contents, link => Assert.Equal(issuePage[link.Key!], link.Page));

        // Every issue's key in its heading links to the issue in Jira.
        var jiraLinks = pages.SelectMany(p => p.GetHyperlinks()).Where(h => h.Uri.Contains("/browse/", StringComparison.Ordinal)).ToList();
        Assert.All(keys, key => Assert.Contains(jiraLinks, h => h.Uri.EndsWith("/browse/" + key, StringComparison.Ordinal) && h.Text == key));

        // The running footer numbers every page of the whole, under the watermark.
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"{i + 1} / {pages.Count}", string.Join(' ', words[i].Select(w => w.Text)), StringComparison.Ordinal);
            Assert.Contains("INTERNAL", pages[i].Text, StringComparison.Ordinal);
        }

        // All of that held across a join: the tests' Worker prints a report this long in parts, two side by side (see
        // JiraExportSystem), and each part brings its own subset of the body font.
        var (exitCode, fonts) = await PdfTools.RunAsync("pdffonts", pdf, [], Token);
        Assert.True(exitCode == 0, fonts);
        Assert.Equal(parts, fonts.Split('\n').Count(line => line.Contains("+DejaVuSans ", StringComparison.Ordinal) && line.Contains("CID TrueType", StringComparison.Ordinal)));
    }

    /// <summary>Each built-in kind, the detail report long enough to print in parts and joined, with contents and a watermark.</summary>
    [Theory]
    [InlineData("issue-list", Jql)]
    [InlineData("issue-detail", "project = DELTA ORDER BY key ASC")]
    [InlineData("sprint-report", "project = ALPHA ORDER BY key ASC")]
    [InlineData("release-notes", "project = BETA ORDER BY key ASC")]
    public async Task EveryReportKindPassesQpdfsStructuralCheckWithoutAWarning(string template, string jql)
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (_, pdf) = await ExportPdfAsync(tenant, $"Check of {template}", new { toc = true, watermark = new { text = "INTERNAL" } }, template, jql);

        await PdfTools.AssertStructureIsCleanAsync(pdf, password: null, Token);
    }

    private static IEnumerable<string> WordsIn(IEnumerable<UglyToad.PdfPig.Content.Word> words, Annotation link) =>
        words.Where(w => Inside(link.Rectangle, w.BoundingBox.Centroid)).Select(w => w.Text);

    private static bool Inside(UglyToad.PdfPig.Core.PdfRectangle box, UglyToad.PdfPig.Core.PdfPoint point) =>
        point.X >= box.Left && point.X <= box.Right && point.Y >= box.Bottom && point.Y <= box.Top;

    [Fact]
    public async Task ASignedExportIsValidForPdfsigWithSignerReasonAndTime()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await UploadCertificateAsync(tenant, "JiraExport Test Signer");
        var (export, pdf) = await ExportPdfAsync(tenant, "Signed report", new { sign = new { reason = "Approved by QA", location = "Berlin" } });

        var (exitCode, output) = await PdfTools.RunAsync("pdfsig", pdf, [], Token);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Signer Certificate Common Name: JiraExport Test Signer", output);
        Assert.Contains("Signing Hash Algorithm: SHA-256", output);
        Assert.Contains("Total document signed", output);
        Assert.Contains("Signature Validation: Signature is Valid.", output);
        Assert.Contains($"Signing Time: {export.CompletedAt!.Value.UtcDateTime:MMM dd yyyy}", output);
        // pdfsig 22.12 does not print the reason; it is in the signature dictionary, which is not encrypted here.
        var bytes = Encoding.Latin1.GetString(pdf);
        Assert.Contains("/Reason(Approved by QA)", bytes);
        Assert.Contains("/Location(Berlin)", bytes);
    }

    [Fact]
    public async Task AnEncryptedExportOpensOnlyWithItsPasswordAndItsPasswordsAreNotStoredInPlain()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (export, pdf) = await ExportPdfAsync(tenant, "Encrypted report", new
        {
            encrypt = new { userPassword = "open-sesame", ownerPassword = "owner-secret-42", allowPrint = true, allowCopy = false, allowModify = false },
        });

        Assert.Throws<PdfDocumentEncryptedException>(() => PdfDocument.Open(pdf));
        using (var opened = PdfDocument.Open(pdf, new ParsingOptions { Password = "open-sesame" }))
        {
            Assert.Equal("Encrypted report", opened.Information.Title);
            Assert.Contains("DELTA-1", opened.GetPage(1).Text);
        }

        var (exitCode, info) = await PdfTools.RunAsync("pdfinfo", pdf, ["-upw", "open-sesame"], Token);
        Assert.True(exitCode == 0, info);
        Assert.Contains("Encrypted:       yes (print:yes copy:no change:no addNotes:no algorithm:AES-256)", info);

        var stored = await ReadStoredOptionsAsync(export.Id);
        Assert.DoesNotContain("open-sesame", stored);
        Assert.DoesNotContain("owner-secret-42", stored);
    }

    [Fact]
    public async Task EncryptionAndSignatureTogetherVerifyWithThePassword()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await UploadCertificateAsync(tenant, "Both Ways Signer");
        var (_, pdf) = await ExportPdfAsync(tenant, "Sealed report", new
        {
            sign = new { reason = "Sealed" },
            encrypt = new { userPassword = "reader-pass", ownerPassword = "owner-pass" },
        });

        Assert.Throws<PdfDocumentEncryptedException>(() => PdfDocument.Open(pdf));
        var (exitCode, output) = await PdfTools.RunAsync("pdfsig", pdf, ["-upw", "reader-pass"], Token);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Signer Certificate Common Name: Both Ways Signer", output);
        Assert.Contains("Signature Validation: Signature is Valid.", output);
        await PdfTools.AssertStructureIsCleanAsync(pdf, "reader-pass", Token);
    }

    [Fact]
    public async Task TheTenantPolicyWatermarkIsStampedAlongsideTheRequestsOwn()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using (var put = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/export-policy", new { watermark = new { text = "POLICY {tenant}", opacity = 0.3 } }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var policy = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/export-policy", Token);
        Assert.Equal("POLICY {tenant}", policy.GetProperty("watermark").GetProperty("text").GetString());

        // The request tries to replace the policy's mark with its own, and to drop the outline: the policy stays.
        var (_, pdf) = await ExportPdfAsync(tenant, "Policy report", new { watermark = new { text = "REQUESTED MARK" }, outline = false });
        using (var document = PdfDocument.Open(pdf))
        {
            foreach (var page in document.GetPages())
            {
                Assert.Contains("POLICY Tenant t-", page.Text);
                Assert.Contains("REQUESTED MARK", page.Text);
            }

            Assert.False(document.TryGetBookmarks(out _));
        }

        using (var delete = await tenant.Client.DeleteAsync("/api/v1/tenant/export-policy", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var (_, unmarked) = await ExportPdfAsync(tenant, "After the policy", new { });
        using var after = PdfDocument.Open(unmarked);
        Assert.DoesNotContain("POLICY", after.GetPage(1).Text);
    }

    [Fact]
    public async Task CertificatesThatCannotSignAreRefusedWithTheReason()
    {
        var tenant = await system.CreateTenantAsync(Token);

        var wrongPassword = await UploadAsync(tenant, TestCertificates.Pkcs12("Wrong Password"), "not-the-password");
        Assert.StartsWith("The password does not open this PKCS#12 file", Error(wrongPassword, "password"));

        var noKey = await UploadAsync(tenant, TestCertificates.Pkcs12("No Key", withPrivateKey: false), TestCertificates.Password);
        Assert.StartsWith("The file holds no private key", Error(noKey, "pkcs12"));

        var expired = await UploadAsync(tenant, TestCertificates.Pkcs12("Expired", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1)), TestCertificates.Password);
        Assert.StartsWith("The certificate expired on", Error(expired, "pkcs12"));

        var notPkcs12 = await UploadAsync(tenant, Convert.ToBase64String("hello"u8.ToArray()), TestCertificates.Password);
        Assert.StartsWith("This is not a PKCS#12 file", Error(notPkcs12, "pkcs12"));

        using (var none = await tenant.Client.GetAsync("/api/v1/tenant/signing-certificate", Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        // Without a certificate, a request for a signature is refused at once, saying what to do.
        using var signRequest = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql = Jql, format = "pdf", options = new { sign = new { reason = "x" } } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, signRequest.StatusCode);
        Assert.Contains("PUT /api/v1/tenant/signing-certificate", Error(await signRequest.Content.ReadFromJsonAsync<JsonElement>(Token), "options.sign"));

        var uploaded = await UploadCertificateAsync(tenant, "Accepted Signer");
        Assert.Equal("CN=Accepted Signer, O=JiraExport Tests", uploaded.GetProperty("subject").GetString());
        Assert.Equal(64, uploaded.GetProperty("thumbprint").GetString()!.Length);
        Assert.False(uploaded.TryGetProperty("pkcs12", out _));
        var shown = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/signing-certificate", Token);
        Assert.Equal(uploaded.GetProperty("thumbprint").GetString(), shown.GetProperty("thumbprint").GetString());

        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT signing_certificate_protected FROM tenant_pdf_settings WHERE tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenant.TenantId);
        var protectedCertificate = (string)(await command.ExecuteScalarAsync(Token))!;
        Assert.StartsWith("t1.CfDJ8", protectedCertificate); // a Data Protection payload bound to the tenant, not the PKCS#12 file
        Assert.DoesNotContain(TestCertificates.Password, protectedCertificate);
    }

    [Fact]
    public async Task OptionsThatDoNotFitTheFormatOrTheLimitsAreRefusedByName()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports", new
        {
            connectionId = tenant.ConnectionId,
            jql = Jql,
            format = "csv",
            options = new { watermark = new { text = new string('x', 201), opacity = 1.5, angle = 400 }, encrypt = new { userPassword = "" } },
        }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.StartsWith("\"watermark\" applies to PDF exports only", Error(problem, "options.watermark"));
        Assert.StartsWith("\"encrypt\" applies to PDF exports only", Error(problem, "options.encrypt"));
        Assert.Equal("The watermark text is 201 characters; the limit is 200.", Error(problem, "options.watermark.text"));
        Assert.StartsWith("Opacity is a number above 0 and at most 1", Error(problem, "options.watermark.opacity"));
        Assert.StartsWith("The angle is in degrees, from -360 to 360", Error(problem, "options.watermark.angle"));
        Assert.StartsWith("A password has 1 to 128 characters", Error(problem, "options.encrypt.userPassword"));
    }

    private async Task<(ExportState Export, byte[] Pdf)> ExportPdfAsync(
        TestTenant tenant, string title, object options, string template = "issue-list", string jql = Jql)
    {
        using var request = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql, format = "pdf", title, options, template }, Token);
        Assert.True(request.StatusCode == HttpStatusCode.Accepted, await request.Content.ReadAsStringAsync(Token));
        var id = (await request.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
        var export = await tenant.WaitForExportToFinishAsync(id, Token);
        Assert.True(export.Status == "succeeded", $"{export}\nWorker output:\n{system.Worker.RecentOutput}");

        using var file = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", Token);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        return (export, await file.Content.ReadAsByteArrayAsync(Token));
    }

    private static async Task<JsonElement> UploadCertificateAsync(TestTenant tenant, string commonName)
    {
        using var response = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/signing-certificate",
            new { pkcs12 = TestCertificates.Pkcs12(commonName), password = TestCertificates.Password }, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    private async Task<JsonElement> UploadAsync(TestTenant tenant, string pkcs12, string password)
    {
        using var response = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/signing-certificate", new { pkcs12, password }, Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}\nApi output:\n{system.Api.RecentOutput}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    private static string Error(JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages) ? messages[0].GetString()! : $"no error for {field} in {problem}";

    private async Task<string> ReadStoredOptionsAsync(Guid exportId)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT options::text FROM exports WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", exportId);
        return (string)(await command.ExecuteScalarAsync(Token))!;
    }
}
