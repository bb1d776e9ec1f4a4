using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Feature flags decided per tenant and caller (Microsoft.FeatureManagement), with the real flag
/// <c>IssueFieldSelection</c>: v2 issue search's <c>fields</c>. The operator overrides it per tenant; every
/// assignment is recorded, so an A/B split can be counted.
/// </summary>
public sealed class FeatureFlagTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Feature = "IssueFieldSelection";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOverrideTurnsTheFeatureOffForOneTenantOnlyUntilItIsRemoved()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var neighbour = await system.CreateTenantAsync(Token);
        using var admin = AdminClient();
        var search = $"/api/v2/issues?connectionId={tenant.ConnectionId}&fields=labels";
        var neighbourSearch = $"/api/v2/issues?connectionId={neighbour.ConnectionId}&fields=labels";

        // The rollout gives everyone "on": the search with fields answers.
        using (var before = await tenant.Client.GetAsync(search, Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var off = await admin.PutAsJsonAsync($"/api/v2/tenants/{tenant.TenantId}/features/{Feature}", new { variant = "off" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
            var forced = (await off.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            Assert.Equal("off", (string?)forced["override"]);
            Assert.Equal(["on", "off"], forced["variants"]!.AsArray().Select(v => (string?)v));
        }

        using (var refused = await tenant.Client.GetAsync(search, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            Assert.Contains("not available to this tenant", (string?)problem["errors"]!["fields"]![0], StringComparison.Ordinal);
        }

        // A search without fields is untouched, and so is the other tenant.
        using (var plain = await tenant.Client.GetAsync($"/api/v2/issues?connectionId={tenant.ConnectionId}", Token))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        using (var other = await neighbour.Client.GetAsync(neighbourSearch, Token))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        // The caller's assignment followed: first "on" by the rollout, now "off" by the override.
        var features = (await admin.GetFromJsonAsync<JsonObject>($"/api/v2/tenants/{tenant.TenantId}/features", Token))!["items"]!.AsArray();
        var described = features.Single(f => (string?)f!["name"] == Feature)!;
        Assert.Equal(1, (int)described["assignments"]!["off"]!);
        Assert.Null(described["assignments"]!["on"]);

        using (var removed = await admin.DeleteAsync($"/api/v2/tenants/{tenant.TenantId}/features/{Feature}", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using var after = await tenant.Client.GetAsync(search, Token);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task AnOverrideNamesAVariantOfAFeatureThatExists()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var admin = AdminClient();

        using var unknownVariant = await admin.PutAsJsonAsync($"/api/v2/tenants/{tenant.TenantId}/features/{Feature}", new { variant = "maybe" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknownVariant.StatusCode);
        Assert.Contains("on, off", await unknownVariant.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        using var unknownFeature = await admin.PutAsJsonAsync($"/api/v2/tenants/{tenant.TenantId}/features/NoSuchFeature", new { variant = "on" }, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknownFeature.StatusCode);

        using var unknownTenant = await admin.PutAsJsonAsync($"/api/v2/tenants/{Guid.NewGuid()}/features/{Feature}", new { variant = "on" }, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknownTenant.StatusCode);
    }

    [Fact]
    public async Task APercentileSplitGivesEachCallerOneStableArmAndRecordsIt()
    {
        // Arms are drawn by hashing each caller: 24 random callers all in one arm at 50 % is a 1-in-8-million chance.
        const int Callers = 24;
        // The same system with the flag's "on" arm at 50 %: a second Api on the same database.
        var environment = system.ApiEnvironment();
        environment["feature_management__feature_flags__0__allocation__percentile__0__to"] = "50";
        environment["feature_management__feature_flags__0__allocation__percentile__1__variant"] = "off";
        environment["feature_management__feature_flags__0__allocation__percentile__1__from"] = "50";
        environment["feature_management__feature_flags__0__allocation__percentile__1__to"] = "100";
        await using var api = await ServiceProcess.StartAsync("JiraExport.Api", environment, Token);

        var tenant = await system.CreateTenantAsync(Token);
        var arms = new Dictionary<string, HttpStatusCode>();
        for (var i = 0; i < Callers; i++)
        {
            using var owner = system.CreateApiClient(tenant.ApiKey);
            using var created = await owner.PostAsJsonAsync("/api/v2/api-keys", new { name = $"caller {i}", scopes = new[] { "exports:read" } }, Token);
            var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["key"]!;
            using var caller = new HttpClient { BaseAddress = api.BaseAddress };
            caller.DefaultRequestHeaders.Add("X-Api-Key", key);
            var search = $"/api/v2/issues?connectionId={tenant.ConnectionId}&fields=labels";
            using var first = await caller.GetAsync(search, Token);
            using var again = await caller.GetAsync(search, Token);
            Assert.Equal(first.StatusCode, again.StatusCode); // an arm sticks to its caller
            arms[key] = first.StatusCode;
        }

        var on = arms.Values.Count(s => s == HttpStatusCode.OK);
        var off = arms.Values.Count(s => s == HttpStatusCode.BadRequest);
        Assert.Equal(Callers, on + off);
        Assert.True(on > 0 && off > 0, $"{Callers} callers at 50 % all landed in one arm ({on} on, {off} off)");

        // Each caller's arm is recorded once: the counts the operator reads are the answers the callers got.
        using var admin = AdminClient();
        var features = (await admin.GetFromJsonAsync<JsonObject>($"/api/v2/tenants/{tenant.TenantId}/features", Token))!["items"]!.AsArray();
        var assignments = features.Single(f => (string?)f!["name"] == Feature)!["assignments"]!;
        Assert.Equal((on, off), ((int?)assignments["on"] ?? 0, (int?)assignments["off"] ?? 0));
    }

    private HttpClient AdminClient()
    {
        var client = system.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        return client;
    }
}
