using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The platform admin's routes are anonymous to the authorization policies (the policy test lists them so) and guarded by
/// the admin key alone: each is called without it, with a tenant's own key, with a wrong key, and with the right one.
/// </summary>
public sealed class AdminRouteTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("PUT", "plan")]
    [InlineData("POST", "suspend")]
    [InlineData("POST", "resume")]
    [InlineData("POST", "schedule-deletion")]
    [InlineData("GET", "features")]
    [InlineData("PUT", "features/IssueFieldSelection")]
    [InlineData("DELETE", "features/IssueFieldSelection")]
    public async Task AnAdminRouteAnswersOnlyTheAdminKey(string method, string action)
    {
        var tenant = await system.CreateTenantAsync(Token);
        var path = $"/api/v1/tenants/{tenant.TenantId}/{action}";

        foreach (var (header, value) in new[] { ("X-Admin-Key", ""), ("X-Api-Key", tenant.ApiKey), ("X-Admin-Key", "not-the-admin-key-0123456789") })
        {
            using var refused = await SendAsync(method, path, header, value);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {header} '{value}' answered {(int)refused.StatusCode}.");
        }

        using var allowed = await SendAsync(method, path, "X-Admin-Key", JiraExportSystem.AdminKey);
        // Resuming an active tenant may answer 409; what matters is that the key was accepted.
        Assert.True(allowed.IsSuccessStatusCode || allowed.StatusCode == HttpStatusCode.Conflict,
            $"{method} {path} with the admin key answered {(int)allowed.StatusCode}: {await allowed.Content.ReadAsStringAsync(Token)}");
    }

    [Theory]
    [InlineData("POST", "/api/v1/tenants")]
    [InlineData("POST", "/api/v1/signup")]
    [InlineData("PUT", "/api/v1/tenants/{tenant}/plan")]
    [InlineData("POST", "/api/v1/tenants/{tenant}/schedule-deletion")]
    public async Task WithoutTheAdminKeyAMalformedBodyIsNotValidatedOnlyRefused(string method, string route)
    {
        // Requests' rules run before any endpoint filter; the key must be checked before them, so an anonymous caller
        // learns nothing about a route it may not use (signup is closed here).
        var tenant = await system.CreateTenantAsync(Token);
        var path = route.Replace("{tenant}", tenant.TenantId.ToString(), StringComparison.Ordinal);
        var malformed = new { name = "", slug = "Not A Slug", maxConnections = -1, purgeAfterDays = 9999 };

        using var anonymous = system.CreateApiClient();
        using var refused = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(malformed) }, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("errors", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var invalid = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(malformed) }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("errors", await invalid.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string header, string value)
    {
        using var client = system.CreateApiClient();
        if (value.Length > 0)
        {
            client.DefaultRequestHeaders.Add(header, value);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = JsonContent.Create<object>(path.EndsWith("/plan", StringComparison.Ordinal)
                ? new { name = "admin-test", maxConnections = 5, maxExportsPerDay = 50, maxStoredMegabytes = 100, maxApiRequestsPerMinute = 600 }
                : path.EndsWith("/schedule-deletion", StringComparison.Ordinal) ? new { purgeAfterDays = 30 }
                : path.Contains("/features/", StringComparison.Ordinal) ? new { variant = "on" } : new { }),
        };
        return await client.SendAsync(request, Token);
    }
}
