using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Two people edit the same thing: with If-Match, the one who read an older version is told so instead of overwriting.</summary>
public abstract class ConditionalWriteTests(JiraExportSystem system)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATenantSettingsChangeBasedOnAnOlderVersionIs412AndChangesNothing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var read = await ETagOfAsync(tenant.Client, "/api/v1/tenant");

        using var first = await SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { name = "Renamed by Ann" }, read);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var afterFirst = first.Headers.ETag!.Tag;
        Assert.NotEqual(read, afterFirst);
        Assert.Equal(afterFirst, await ETagOfAsync(tenant.Client, "/api/v1/tenant"));

        using var stale = await SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { name = "Renamed by Bob" }, read);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GET it again", await stale.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(afterFirst, stale.Headers.ETag!.Tag);
        var now = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Token);
        Assert.Equal("Renamed by Ann", now.GetProperty("name").GetString());

        // Without If-Match a write goes ahead as before.
        using var unconditional = await SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { name = "Renamed by Cy" }, ifMatch: null);
        Assert.Equal(HttpStatusCode.OK, unconditional.StatusCode);
    }

    [Fact]
    public async Task AReadNamingTheCurrentETagInIfNoneMatchIs304WithoutABodyUntilTheResourceChanges()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var read = await ETagOfAsync(tenant.Client, "/api/v1/tenant");

        foreach (var held in new[] { read, "W/" + read, $"\"0\", {read}", "*" })
        {
            using var notModified = await GetAsync(tenant.Client, "/api/v1/tenant", held);
            Assert.True(notModified.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {held} answered {notModified.StatusCode}.");
            Assert.Equal(read, notModified.Headers.ETag!.Tag);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Token));
        }

        using var changed = await SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { name = "Renamed" }, read);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var fresh = await GetAsync(tenant.Client, "/api/v1/tenant", read);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(changed.Headers.ETag!.Tag, fresh.Headers.ETag!.Tag);
        Assert.Equal("Renamed", (await fresh.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ExportsRunningMeanwhileDoNotStaleTheTenantsVersionButAMalformedIfMatchMatchesNothing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var read = await ETagOfAsync(tenant.Client, "/api/v1/tenant");
        // An export's progress events number themselves on the tenant's row: bookkeeping, not a change of its settings.
        var exportId = await tenant.RequestExportAsync("key = DELTA-1", Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(exportId, Token)).Status);
        Assert.Equal(read, await ETagOfAsync(tenant.Client, "/api/v1/tenant"));

        using var malformed = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/tenant") { Content = JsonContent.Create(new { name = "x" }) };
        malformed.Headers.TryAddWithoutValidation("If-Match", "not-a-quoted-tag");
        using var refused = await tenant.Client.SendAsync(malformed, Token);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);

        using var changed = await SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { name = "After the export" }, read);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task OfTwoWritesRacingWithTheSameVersionExactlyOneWins()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var read = await ETagOfAsync(tenant.Client, "/api/v1/tenant");

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { name = $"Writer {i}" }, read)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.PreconditionFailed, a.StatusCode));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task ATemplateDraftSavedOverAnotherPersonsSaveIs412()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new { name = "team-report", copyFrom = "issue-list" }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = created.Headers.Location!.ToString();
        var read = await ETagOfAsync(tenant.Client, path);

        using var ann = await SendAsync(tenant.Client, HttpMethod.Put, path, new { description = "Ann's" }, read);
        using var bob = await SendAsync(tenant.Client, HttpMethod.Put, path, new { description = "Bob's" }, read);

        Assert.Equal(HttpStatusCode.OK, ann.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, bob.StatusCode);
        Assert.Equal("Ann's", (await tenant.Client.GetFromJsonAsync<JsonElement>(path, Token)).GetProperty("description").GetString());
        using var bobAgain = await SendAsync(tenant.Client, HttpMethod.Put, path, new { description = "Bob's" }, ann.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, bobAgain.StatusCode);
    }

    [Fact]
    public async Task BrandingCarriesAnETagOnceSetAndIfMatchBeforeItExistsIs412()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var defaults = await tenant.Client.GetAsync("/api/v1/tenant/branding", Token);
        Assert.Null(defaults.Headers.ETag);

        using var early = await SendAsync(tenant.Client, HttpMethod.Put, "/api/v1/tenant/branding", new { companyName = "Acme" }, "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, early.StatusCode);
        using var set = await SendAsync(tenant.Client, HttpMethod.Put, "/api/v1/tenant/branding", new { companyName = "Acme" }, ifMatch: null);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var tag = set.Headers.ETag!.Tag;
        Assert.Equal(tag, await ETagOfAsync(tenant.Client, "/api/v1/tenant/branding"));
        using var again = await SendAsync(tenant.Client, HttpMethod.Put, "/api/v1/tenant/branding", new { companyName = "Acme Ltd" }, tag);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task AConnectionIsDeletedOnlyAtTheVersionTheCallerSaw()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var path = $"/api/v1/connections/{tenant.ConnectionId}";
        var read = await ETagOfAsync(tenant.Client, path);
        // Someone checks its health meanwhile, which records the result on the connection.
        using (var health = await tenant.Client.GetAsync($"{path}/health", Token))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var current = await ETagOfAsync(tenant.Client, path);
        Assert.NotEqual(read, current);
        using var stale = await SendAsync(tenant.Client, HttpMethod.Delete, path, body: null, read);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        using var deleted = await SendAsync(tenant.Client, HttpMethod.Delete, path, body: null, current);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Theory]
    [InlineData("issue-detail", HttpStatusCode.OK)]
    [InlineData("no-such-template", HttpStatusCode.BadRequest)]
    public async Task TheDefaultTemplateIsAnyTemplateAnExportCouldName(string template, HttpStatusCode expected)
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var response = await SendAsync(tenant.Client, HttpMethod.Patch, "/api/v1/tenant", new { defaultTemplate = template }, ifMatch: null);
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await client.SendAsync(request, Token);
    }

    private static async Task<string> ETagOfAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tag = response.Headers.ETag;
        Assert.NotNull(tag);
        Assert.False(tag.IsWeak);
        return tag.Tag;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await client.SendAsync(request, Token);
    }
}

/// <summary>The behaviour above, on API v1.</summary>
public sealed class ConditionalWriteTestsOnV1(JiraExportSystem system) : ConditionalWriteTests(system), IClassFixture<JiraExportSystem>;

/// <summary>The same behaviour on API v2.</summary>
public sealed class ConditionalWriteTestsOnV2(JiraExportSystemOnV2 system) : ConditionalWriteTests(system), IClassFixture<JiraExportSystemOnV2>;
