using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using JiraExport.Tests.Shared;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>v2 beside v1: v1 announces its end, v2 pages every list the same way and names its problems.</summary>
public sealed class ApiVersionTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VersionOneAnnouncesItsDeprecationAndSunsetWithALinkToTheMigrationGuide()
    {
        var tenant = await system.CreateTenantAsync(Token);

        using var v1 = await tenant.Client.GetAsync("/api/v1/tenant", Token);
        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal("@1796515200", Header(v1, "Deprecation")); // 2026-12-06T00:00:00Z, RFC 9745's structured date
        Assert.Equal("Fri, 31 Dec 2027 00:00:00 GMT", Header(v1, "Sunset"));
        var links = Header(v1, "Link");
        Assert.Contains("</docs/migration-v1-to-v2>; rel=\"deprecation\"", links, StringComparison.Ordinal);
        Assert.Contains("</docs/migration-v1-to-v2>; rel=\"sunset\"", links, StringComparison.Ordinal);
        Assert.Equal("1.0", Header(v1, "api-deprecated-versions"));
        Assert.Contains("2.0", Header(v1, "api-supported-versions"), StringComparison.Ordinal);

        using var v2 = await tenant.Client.GetAsync("/api/v2/tenant", Token);
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
        Assert.False(v2.Headers.Contains("Deprecation"));
        Assert.False(v2.Headers.Contains("Sunset"));

        // The link leads somewhere: the guide itself, readable without credentials.
        using var anonymous = system.CreateApiClient();
        using var guide = await anonymous.GetAsync("/docs/migration-v1-to-v2", Token);
        Assert.Equal(HttpStatusCode.OK, guide.StatusCode);
        Assert.Equal("text/markdown", guide.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# Migrating from API v1 to v2", await guide.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        var versions = (await anonymous.GetFromJsonAsync<JsonObject>("/api/versions", Token))!["items"]!.AsArray();
        var first = versions.Single(v => (string?)v!["version"] == "1.0")!;
        Assert.Equal(("deprecated", "/docs/migration-v1-to-v2"), ((string?)first["status"], (string?)first["migrationGuide"]));
        Assert.Equal(new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero), first["sunset"]!.GetValue<DateTimeOffset>());
        var second = versions.Single(v => (string?)v!["version"] == "2.0")!;
        Assert.Equal(("current", "/api/v2", "/openapi/v2.json"), ((string?)second["status"], (string?)second["basePath"], (string?)second["openApiDocument"]));
    }

    [Fact]
    public async Task AV2ListPagesWithItsCursorAndLinksToTheNextPageAndEachItem()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await tenant.Client.PostAsJsonAsync("/api/v2/api-keys", new { name = $"reader {i}", scopes = new[] { "exports:read" } }, Token);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["apiKey"]!["id"]!;
            Assert.Equal($"/api/v2/api-keys/{id}", response.Headers.Location?.ToString()); // a v2 create names its v2 address
            created.Add(id);
        }

        var seen = new List<string>();
        string? address = "/api/v2/api-keys?limit=2";
        var pages = 0;
        while (address is not null)
        {
            var page = (await tenant.Client.GetFromJsonAsync<JsonObject>(address, Token))!;
            pages++;
            var items = page["items"]!.AsArray();
            var links = page["links"]!;
            Assert.Equal(address, (string?)links["self"]);
            Assert.True(items.Count <= 2, $"{items.Count} items on a page of 2");
            Assert.Equal(items.Select(i => $"/api/v2/api-keys/{i!["id"]}"), links["items"]!.AsArray().Select(l => (string?)l));
            Assert.Equal(page["next"] is null, links["next"] is null);
            seen.AddRange(items.Select(i => (string)i!["id"]!));
            address = (string?)links["next"];
        }

        // The tenant's own key and the three created, newest first, each once.
        Assert.Equal(4, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(Enumerable.Reverse(created), seen.Take(3));
        Assert.Equal(2, pages);

        using var tooMany = await tenant.Client.GetAsync("/api/v2/api-keys?limit=201", Token);
        var problem = await ProblemAsync(tooMany, HttpStatusCode.BadRequest);
        Assert.Equal("/problems/validation", (string?)problem["type"]);
        Assert.Contains("200", (string?)problem["errors"]!["limit"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheV2TemplateListWalksBuiltInAndOwnTemplatesByNameAndLinksTheOwnOnes()
    {
        var tenant = await system.CreateTenantAsync(Token);
        foreach (var name in new[] { "aaa-first", "zzz-last", "issue-list-2" })
        {
            using var response = await tenant.Client.PostAsJsonAsync("/api/v2/templates", new { name, copyFrom = "issue-list" }, Token);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var all = (await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/templates", Token))!["items"]!.AsArray()
            .Select(t => (string)t!["name"]!).Order(StringComparer.Ordinal).ToList();
        var walked = new List<string>();
        string? address = "/api/v2/templates?limit=2";
        while (address is not null)
        {
            var page = (await tenant.Client.GetFromJsonAsync<JsonObject>(address, Token))!;
            var items = page["items"]!.AsArray();
            var links = page["links"]!["items"]!.AsArray();
            for (var i = 0; i < items.Count; i++)
            {
                var builtIn = (bool)items[i]!["builtIn"]!;
                Assert.Equal(builtIn ? null : $"/api/v2/templates/{items[i]!["id"]}", (string?)links[i]);
            }

            walked.AddRange(items.Select(t => (string)t!["name"]!));
            address = (string?)page["links"]!["next"];
        }

        Assert.Equal(all, walked);
        Assert.Contains("issue-list-2", walked);
    }

    [Fact]
    public async Task V2ProblemsNameTheirKindWhichDescribesItselfWhileV1KeepsItsLinks()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var missing = Guid.NewGuid();

        using var v2 = await tenant.Client.GetAsync($"/api/v2/exports/{missing}", Token);
        Assert.Equal("/problems/not-found", (string?)(await ProblemAsync(v2, HttpStatusCode.NotFound))["type"]);
        using var v1 = await tenant.Client.GetAsync($"/api/v1/exports/{missing}", Token);
        Assert.StartsWith("https://tools.ietf.org/html/rfc9110#", (string?)(await ProblemAsync(v1, HttpStatusCode.NotFound))["type"], StringComparison.Ordinal);

        using var anonymous = system.CreateApiClient();
        using var unauthenticated = await anonymous.GetAsync("/api/v2/exports", Token);
        Assert.Equal("/problems/unauthenticated", (string?)(await ProblemAsync(unauthenticated, HttpStatusCode.Unauthorized))["type"]);
        using var notJson = await tenant.Client.PostAsync("/api/v2/exports", new StringContent("{", System.Text.Encoding.UTF8, "application/json"), Token);
        Assert.Equal("/problems/bad-request", (string?)(await ProblemAsync(notJson, HttpStatusCode.BadRequest))["type"]);

        var described = (await anonymous.GetFromJsonAsync<JsonObject>("/problems/not-found", Token))!;
        Assert.Equal(("/problems/not-found", 404), ((string?)described["type"], (int)described["status"]!));
        using var unknown = await anonymous.GetAsync("/problems/no-such-kind", Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task TheReadmeListsEveryProblemTypeWithItsStatus()
    {
        using var anonymous = system.CreateApiClient();
        var served = (await anonymous.GetFromJsonAsync<JsonArray>("/problems", Token))!
            .Select(t => $"{t!["type"]} {t["status"]}").Order(StringComparer.Ordinal);
        var readme = await File.ReadAllLinesAsync(RepositoryFiles.PathOf("README.md"), Token);
        var documented = readme
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\| `(/problems/[a-z-]+)` \| (\d{3}) \|"))
            .Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(served, documented);
    }

    [Fact]
    public async Task TheV2IssueSearchReturnsTheJiraFieldsAskedForAndNoOthers()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", projects = new[] { "gamma" } }, Token);
        var search = $"/api/v2/issues?connectionId={tenant.ConnectionId}&limit=5";

        var plain = (await tenant.Client.GetFromJsonAsync<JsonObject>(search, Token))!["items"]!.AsArray();
        Assert.Equal(5, plain.Count);
        Assert.All(plain, i => Assert.Null(i!["fields"]));

        var chosen = (await tenant.Client.GetFromJsonAsync<JsonObject>($"{search}&fields=labels,issuetype,customfield_none", Token))!["items"]!.AsArray();
        Assert.Equal(plain.Select(i => (string?)i!["key"]), chosen.Select(i => (string?)i!["key"]));
        foreach (var issue in chosen)
        {
            var fields = issue!["fields"]!.AsObject();
            Assert.Equal(["issuetype", "labels"], fields.Select(f => f.Key).Order(StringComparer.Ordinal));
            Assert.Equal((string?)issue["issueType"], (string?)fields["issuetype"]!["name"]);
            Assert.Equal($"/api/v2/issues/{issue["key"]}?connectionId={tenant.ConnectionId}", issue.Parent!.Parent!["links"]!["items"]![issue.GetElementIndex()]!.GetValue<string>());
        }

        var every = (await tenant.Client.GetFromJsonAsync<JsonObject>($"{search}&fields=*all", Token))!["items"]!.AsArray();
        Assert.True(every[0]!["fields"]!.AsObject().Count > 2, "fields=*all returned no more than two fields");
        Assert.Equal((string?)every[0]!["summary"], (string?)every[0]!["fields"]!["summary"]);

        using var bad = await tenant.Client.GetAsync($"{search}&fields=labels,not%20a%20field", Token);
        var problem = await ProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.Contains("not a field", (string?)problem["errors"]!["fields"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIssueKeyFromAHostileJiraCannotSteerAnItemLinkToAnotherRoute()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", projects = new[] { "gamma" } }, Token);
        // The store keeps the key as Jira sent it; a Jira the attacker runs may send any text.
        const string hostileKey = "../../api-keys?x=";
        var search = $"/api/v2/issues?connectionId={tenant.ConnectionId}&limit=5";
        var first = (long)(await tenant.Client.GetFromJsonAsync<JsonObject>(search, Token))!["items"]![0]!["id"]!;
        await system.ExecuteAsOwnerAsync("UPDATE jira_issues SET key = @key WHERE connection_id = @connection AND issue_id = @issue",
            new Dictionary<string, object> { ["key"] = hostileKey, ["connection"] = tenant.ConnectionId, ["issue"] = first }, Token);

        // Changed behind the Api's back, so no event evicted the cached first read: another page size reads the store.
        var page = (await tenant.Client.GetFromJsonAsync<JsonObject>(search.Replace("limit=5", "limit=4", StringComparison.Ordinal), Token))!;
        Assert.Equal(hostileKey, (string?)page["items"]![0]!["key"]);
        var link = (string)page["links"]!["items"]![0]!;
        Assert.Equal($"/api/v2/issues/..%2F..%2Fapi-keys%3Fx%3D?connectionId={tenant.ConnectionId}", link);
    }

    [Fact]
    public async Task ATemplateCursorWithAControlCharacterIsABadRequestNotAServerError()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var cursor = System.Buffers.Text.Base64Url.EncodeToString("a\0b"u8);

        using var response = await tenant.Client.GetAsync($"/api/v2/templates?cursor={cursor}", Token);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["cursor"]);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        string.Join(", ", response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : []);

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }
}
