using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Every bad input gets a problem-details answer or a failed export whose reason says what to fix.</summary>
public abstract class BadInputTests(JiraExportSystem system)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MissingOrWrongApiKeyIsUnauthorizedProblem()
    {
        using var anonymous = system.CreateApiClient();
        using var missing = await anonymous.GetAsync("/api/v1/exports", Token);
        await AssertProblemAsync(missing, HttpStatusCode.Unauthorized);

        using var wrong = system.CreateApiClient("jx_0000000000000000000000000000000000000000");
        using var rejected = await wrong.GetAsync("/api/v1/connections", Token);
        await AssertProblemAsync(rejected, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreatingATenantNeedsTheAdminKeyAndAFreeSlug()
    {
        using var client = system.CreateApiClient();
        using var withoutKey = await client.PostAsJsonAsync("/api/v1/tenants", new { name = "X", slug = "no-key" }, Token);
        await AssertProblemAsync(withoutKey, HttpStatusCode.Unauthorized);

        client.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        var slug = "dup-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await client.PostAsJsonAsync("/api/v1/tenants", new { name = "First", slug }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var duplicate = await client.PostAsJsonAsync("/api/v1/tenants", new { name = "Second", slug }, Token);
        await AssertProblemAsync(duplicate, HttpStatusCode.Conflict);

        using var badSlug = await client.PostAsJsonAsync("/api/v1/tenants", new { name = "", slug = "Not A Slug" }, Token);
        var problem = await AssertProblemAsync(badSlug, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("slug", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task AnotherTenantsExportIsNotFoundNeverForbidden()
    {
        var owner = await system.CreateTenantAsync(Token);
        var stranger = await system.CreateTenantAsync(Token);
        var exportId = await owner.RequestExportAsync("key = GAMMA-1", Token);

        using var export = await stranger.Client.GetAsync($"/api/v1/exports/{exportId}", Token);
        await AssertProblemAsync(export, HttpStatusCode.NotFound);
        using var file = await stranger.Client.GetAsync($"/api/v1/exports/{exportId}/file", Token);
        await AssertProblemAsync(file, HttpStatusCode.NotFound);
        using var connection = await stranger.Client.GetAsync($"/api/v1/connections/{owner.ConnectionId}", Token);
        await AssertProblemAsync(connection, HttpStatusCode.NotFound);

        // The stranger cannot export through the owner's connection either.
        using var borrowed = await stranger.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = owner.ConnectionId, jql = "key = GAMMA-1", format = "pdf", template = "issue-list" }, Token);
        await AssertProblemAsync(borrowed, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownConnectionIsAValidationProblem()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = Guid.NewGuid(), jql = "project = ALPHA", format = "pdf", template = "issue-list" }, Token);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("No Jira connection", problem.GetProperty("errors").GetProperty("connectionId")[0].GetString());
    }

    [Fact]
    public async Task JqlOfOneHundredKilobytesIsRejectedBeforeQueueing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var jql = "project = ALPHA AND " + string.Join(" AND ", Enumerable.Repeat("status = \"In Progress\"", 4_500));
        Assert.True(jql.Length > 100_000);
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql, format = "pdf", template = "issue-list" }, Token);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("limit", problem.GetProperty("errors").GetProperty("jql")[0].GetString());
    }

    [Fact]
    public async Task OversizedBodyIsRefusedWith413()
    {
        var tenant = await system.CreateTenantAsync(Token);
        // An export request may carry a 1 MiB watermark image (2 MiB of JSON), a template 2 MiB of assets (4 MiB).
        var huge = new string('x', 3 * 1024 * 1024);
        using var response = await PostOversizedAsync(tenant.Client, "/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql = huge, format = "pdf", template = "issue-list" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        using var template = await PostOversizedAsync(tenant.Client, "/api/v1/templates",
            new { name = "too-large", kind = "issue-list", liquid = huge + huge });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, template.StatusCode);

        using var connection = await PostOversizedAsync(tenant.Client, "/api/v1/connections", new { name = new string('x', 300 * 1024) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, connection.StatusCode);
    }

    /// <summary>
    /// Posts a body the Api refuses by its length, as a careful client does: with its length and <c>Expect: 100-continue</c>,
    /// so the 413 arrives before the body is sent. Streamed without them, the Api may answer and close while the client is
    /// still writing, and the client sees a broken pipe instead of the answer.
    /// </summary>
    private static async Task<HttpResponseMessage> PostOversizedAsync(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request, Token);
    }

    [Fact]
    public async Task MalformedJqlFailsTheExportWithJirasOwnMessage()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("project = = ALPHA", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("failed", export.Status);
        Assert.Contains("Error in the JQL Query", export.Error);

        using var file = await tenant.Client.GetAsync($"/api/v1/exports/{exportId}/file", Token);
        var problem = await AssertProblemAsync(file, HttpStatusCode.Conflict);
        Assert.Contains("failed", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownProjectFailsWithJirasFieldError()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("project = NOPE", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("failed", export.Status);
        Assert.Contains("The value 'NOPE' does not exist for the field 'project'.", export.Error);
    }

    [Fact]
    public async Task JiraRejectingTheCredentialsFailsTheExportAndTheConnectionTest()
    {
        var tenant = await system.CreateTenantAsync(Token, apiToken: "wrong-token");
        using var test = await tenant.Client.PostAsync($"/api/v1/connections/{tenant.ConnectionId}/test", null, Token);
        var result = await test.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Contains("401", result.GetProperty("error").GetString());

        var exportId = await tenant.RequestExportAsync("project = ALPHA", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("failed", export.Status);
        Assert.Contains("rejected the credentials", export.Error);
    }

    [Fact]
    public async Task UnreachableJiraFailsWithAReasonAfterRetriesAndParksTheJob()
    {
        var tenant = await system.CreateTenantAsync(Token, jiraBaseUrl: new Uri("http://127.0.0.1:9"));
        var exportId = await tenant.RequestExportAsync("project = ALPHA", Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("failed", export.Status);
        Assert.Contains("given up", export.Error);
        Assert.Contains("could not be reached", export.Error);

        // The spent job waits in the parking queue, where an operator can inspect and replay it.
        Assert.Contains(exportId.ToString(), await system.TakeParkedJobAsync(Token));
    }

    [Fact]
    public async Task ConnectionSecretsAreNeverEchoed()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var body = await tenant.Client.GetStringAsync($"/api/v1/connections/{tenant.ConnectionId}", Token);
        Assert.DoesNotContain("sim-api-token", body);
        Assert.DoesNotContain("apiToken", body, StringComparison.OrdinalIgnoreCase);
        var list = await tenant.Client.GetStringAsync("/api/v1/connections", Token);
        Assert.DoesNotContain("sim-api-token", list);

        using var invalid = await tenant.Client.PostAsJsonAsync("/api/v1/connections",
            new { name = "x", baseUrl = "ftp://nowhere", deployment = "onprem", auth = new { type = "basic" } }, Token);
        var problem = await AssertProblemAsync(invalid, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("baseUrl", out _) && errors.TryGetProperty("deployment", out _) && errors.TryGetProperty("auth", out _));
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", body);
        return problem;
    }
}

/// <summary>The behaviour above, on API v1.</summary>
public sealed class BadInputTestsOnV1(JiraExportSystem system) : BadInputTests(system), IClassFixture<JiraExportSystem>;

/// <summary>The same behaviour on API v2.</summary>
public sealed class BadInputTestsOnV2(JiraExportSystemOnV2 system) : BadInputTests(system), IClassFixture<JiraExportSystemOnV2>;
