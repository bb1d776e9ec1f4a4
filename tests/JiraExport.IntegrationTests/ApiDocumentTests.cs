using System.Net;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using JiraExport.Tests.Shared;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The OpenAPI contract an integrator builds against: served per version, committed, and never shrunk.</summary>
public sealed class ApiDocumentTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static readonly string[] Versions = ["v1", "v2"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheCommittedDocumentOfEachVersionIsWhatTheApiServes()
    {
        foreach (var version in Versions)
        {
            var served = await ServedAsync(version);
            var committed = JsonNode.Parse(await RepositoryFiles.ReadCommittedAsync($"docs/api/{version}.json", Token))!;
            Assert.True(JsonNode.DeepEquals(committed, served),
                $"docs/api/{version}.json differs from /openapi/{version}.json at {FirstDifference(committed, served, "$")}: " +
                "build the Api (it rewrites the file) and commit the result.");
        }
    }

    [Fact]
    public async Task EachVersionKeepsEveryOperationPropertyAndEnumValueOfItsBaseline()
    {
        foreach (var version in Versions)
        {
            var baseline = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf($"docs/api/baseline/{version}.json"), Token))!;

            Assert.Empty(ApiContractChanges.Removals(baseline, await ServedAsync(version)));
        }
    }

    [Fact]
    public async Task TheBreakingChangeCheckFindsAnOperationAPropertyAndAnEnumValueTakenAway()
    {
        var baseline = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf("docs/api/baseline/v1.json"), Token))!;
        var schemas = baseline["components"]!["schemas"]!.AsObject();
        var (schemaName, schema) = schemas.First(s => s.Value?["properties"] is JsonObject { Count: > 1 });
        var property = schema!["properties"]!.AsObject().First().Key;
        baseline["components"]!["schemas"]!["Direction"] = JsonNode.Parse("""{"type": "string", "enum": ["asc", "desc"]}""");

        var current = baseline.DeepClone();
        current["paths"]!.AsObject().Remove("/api/v1/exports");
        current["components"]!["schemas"]![schemaName]!["properties"]!.AsObject().Remove(property);
        current["components"]!["schemas"]!["Direction"]!["enum"]!.AsArray().RemoveAt(1);

        var removals = ApiContractChanges.Removals(baseline, current);
        Assert.Contains(removals, r => r.StartsWith("operation POST /api/v1/exports (RequestExport)", StringComparison.Ordinal));
        Assert.Contains($"property {schemaName}.{property} was removed", removals);
        Assert.Contains("enum value \"desc\" of Direction was removed", removals);
        Assert.Empty(ApiContractChanges.Removals(current, baseline));
    }

    [Fact]
    public async Task EachOperationNamesHowToAuthenticateAndEachProblemItCanAnswer()
    {
        var document = await ServedAsync("v1");
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["apiKey"]!["name"]!.GetValue<string>());

        var requestExport = document["paths"]!["/api/v1/exports"]!["post"]!;
        Assert.Equal(["exports:write"], requestExport["security"]!.AsArray().Select(r => r!["bearer"]?[0]?.GetValue<string>()).OfType<string>());
        Assert.Equal(["exports:write"], requestExport["security"]!.AsArray().Select(r => r!["apiKey"]?[0]?.GetValue<string>()).OfType<string>());
        foreach (var status in new[] { "400", "401", "403", "413", "429" })
        {
            Assert.NotNull(requestExport["responses"]![status]);
        }

        Assert.NotNull(requestExport["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.Empty(document["paths"]!["/api/v1/auth/token"]!["post"]!["security"]!.AsArray());
        Assert.Equal("adminKey", Assert.Single(document["paths"]!["/api/v1/tenants"]!["post"]!["security"]!.AsArray())!.AsObject().Single().Key);

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Route: $"{o.Key.ToUpperInvariant()} {p.Key}", Operation: o.Value!)));
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Operation["operationId"]?.GetValue<string>()), $"{o.Route} has no operationId");
            Assert.False(string.IsNullOrEmpty(o.Operation["summary"]?.GetValue<string>()), $"{o.Route} has no summary");
            foreach (var (status, response) in o.Operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')))
            {
                Assert.True(response?["content"]?["application/problem+json"] is not null, $"{o.Route} answers {status} without a problem type");
            }
        });
    }

    [Fact]
    public async Task ScalarShowsTheReferenceWithItsOwnScriptsAndNoSecrets()
    {
        using var client = system.CreateApiClient();
        using var page = await client.GetAsync("/scalar", Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Token);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"nonce=\"{nonce}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", policy, StringComparison.Ordinal);
        Assert.DoesNotContain(JiraExportSystem.AdminKey, html, StringComparison.Ordinal);

        foreach (var version in Versions)
        {
            Assert.DoesNotContain(JiraExportSystem.AdminKey, (await ServedAsync(version)).ToJsonString(), StringComparison.Ordinal);
        }
    }

    private async Task<JsonNode> ServedAsync(string version)
    {
        using var client = system.CreateApiClient();
        using var response = await client.GetAsync($"/openapi/{version}.json", Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!;
    }

    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject e && actual is JsonObject a)
        {
            foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
            {
                if (!JsonNode.DeepEquals(e[key], a[key]))
                {
                    return FirstDifference(e[key], a[key], $"{path}.{key}");
                }
            }
        }

        return path;
    }
}
