using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>What a new user met following the README: each answer tells them what they need, and the documented routes work.</summary>
public abstract class FirstUseTests(JiraExportSystem system)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheVersionMayBeNamedByTheApiVersionHeaderAndAnUnknownOneIsA400Problem()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = DELTA-1", Token);

        using var byHeader = new HttpRequestMessage(HttpMethod.Get, $"/api/exports/{exportId}") { Headers = { { "api-version", "1.0" } } };
        using var answer = await tenant.Client.SendAsync(byHeader, Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(exportId, (await answer.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid());

        foreach (var unknown in new[] { new HttpRequestMessage(HttpMethod.Get, "/api/v7/exports"), new HttpRequestMessage(HttpMethod.Get, "/api/exports") { Headers = { { "api-version", "7.0" } } } })
        {
            using (unknown)
            using (var refused = await tenant.Client.SendAsync(unknown, Token))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task ApiVersionsListsEachVersionWithItsStatusAndDocumentAndAnswersSayWhichAreSupported()
    {
        using var anonymous = system.CreateApiClient();
        var versions = await anonymous.GetFromJsonAsync<JsonElement>("/api/versions", Token);
        var listed = versions.GetProperty("items").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetString(), v.GetProperty("status").GetString(), v.GetProperty("basePath").GetString()))
            .ToList();
        Assert.Equal([("1.0", "deprecated", "/api/v1"), ("2.0", "current", "/api/v2")], listed);
        foreach (var version in versions.GetProperty("items").EnumerateArray())
        {
            using var document = await anonymous.GetAsync(version.GetProperty("openApiDocument").GetString(), Token);
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        }

        var tenant = await system.CreateTenantAsync(Token);
        using var answer = await tenant.Client.GetAsync("/api/v1/exports", Token);
        Assert.Equal("2.0", answer.Headers.GetValues("api-supported-versions").Single());
        Assert.Equal("1.0", answer.Headers.GetValues("api-deprecated-versions").Single());
    }

    [Fact]
    public async Task A401NamesTheCredentialsToSendAndA403TheScopeThatIsMissing()
    {
        using var anonymous = system.CreateApiClient();
        using var unauthenticated = await anonymous.GetAsync("/api/v1/exports", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal("application/problem+json", unauthenticated.Content.Headers.ContentType?.MediaType);
        var missing = await unauthenticated.Content.ReadAsStringAsync(Token);
        Assert.Contains("Authorization: Bearer", missing, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", missing, StringComparison.Ordinal);
        Assert.Contains("Bearer", unauthenticated.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var tenant = await system.CreateTenantAsync(Token);
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "reader", scopes = new[] { "exports:read" } }, Token);
        var readerKey = (await created.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("key").GetString();
        using var reader = system.CreateApiClient(readerKey);
        using var forbidden = await reader.PostAsJsonAsync("/api/v1/exports", new { connectionId = tenant.ConnectionId, jql = "key = DELTA-1" }, Token);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var refusal = (await forbidden.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("detail").GetString();
        Assert.Contains("needs the scope 'exports:write'", refusal, StringComparison.Ordinal);
        Assert.Contains("has 'exports:read'", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadOnAFileAnswersItsSizeTypeAndETagWithoutTheContent()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = DELTA-1", Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(exportId, Token)).Status);

        using var get = await tenant.Client.GetAsync($"/api/v1/exports/{exportId}/file", Token);
        using var head = await tenant.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/exports/{exportId}/file"), Token);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task TheExportStatusCarriesTheProgressMessageTheLiveEventsCarry()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = DELTA-1", Token);
        var queued = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token);
        Assert.False(string.IsNullOrEmpty(queued.GetProperty("message").GetString()));

        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(exportId, Token)).Status);
        var done = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token);
        Assert.Equal("Exported 1 issue", done.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AVersionPublishedWithAnApiKeySaysWhichKey()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new { name = "by-key", copyFrom = "issue-list" }, Token);
        var path = created.Headers.Location!.ToString();

        using var published = await tenant.Client.PostAsJsonAsync($"{path}/publish", new { note = "first" }, Token);

        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        var publishedBy = (await published.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("publishedBy").GetString();
        Assert.StartsWith("API key \"", publishedBy, StringComparison.Ordinal);
    }
}

/// <summary>The behaviour above, on API v1.</summary>
public sealed class FirstUseTestsOnV1(JiraExportSystem system) : FirstUseTests(system), IClassFixture<JiraExportSystem>;

/// <summary>The same behaviour on API v2.</summary>
public sealed class FirstUseTestsOnV2(JiraExportSystemOnV2 system) : FirstUseTests(system), IClassFixture<JiraExportSystemOnV2>;
