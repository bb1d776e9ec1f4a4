using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>
/// The simulator's v3 answers, checked against the 200 response schemas of Atlassian's published OpenAPI document.
/// A failure lists every violation with its JSON path and the schema it breaks.
/// </summary>
public sealed class SchemaConformanceTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    /// <param name="Shows">A property the answer must hold, so an empty answer cannot pass for a conforming one.</param>
    private sealed record Call(string SpecPath, string SpecMethod, string Url, string Shows, object? Body = null);

    private static readonly Dictionary<string, Call> Calls = new(StringComparer.Ordinal)
    {
        ["search/jql with every field and changelog"] = new("/rest/api/3/search/jql", "post", "/rest/api/3/search/jql", "histories",
            new { jql = "key in (ALPHA-1, ALPHA-2, ALPHA-3) OR id = 10007 ORDER BY key", fields = new[] { "*all" }, expand = "changelog", maxResults = 10 }),
        ["search/jql with ids only"] = new("/rest/api/3/search/jql", "post", "/rest/api/3/search/jql", "nextPageToken", new { jql = "project = BETA", maxResults = 5 }),
        ["issue/bulkfetch with changelog"] = new("/rest/api/3/issue/bulkfetch", "post", "/rest/api/3/issue/bulkfetch", "histories",
            new { issueIdsOrKeys = new[] { "ALPHA-1", "10007", "BETA-2", "NOPE-1" }, fields = new[] { "*all" }, expand = new[] { "changelog" } }),
        ["issue with changelog"] = new("/rest/api/3/issue/{issueIdOrKey}", "get", "/rest/api/3/issue/10007?expand=changelog", "histories"),
        ["issue changelog page"] = new("/rest/api/3/issue/{issueIdOrKey}/changelog", "get", "/rest/api/3/issue/10007/changelog", "nextPage"),
        ["changelog/bulkfetch page"] = new("/rest/api/3/changelog/bulkfetch", "post", "/rest/api/3/changelog/bulkfetch", "nextPageToken",
            new { issueIdsOrKeys = new[] { "10007", "ALPHA-1", "GAMMA-4" }, maxResults = 50 }),
        ["field"] = new("/rest/api/3/field", "get", "/rest/api/3/field", "customId"),
        ["myself"] = new("/rest/api/3/myself", "get", "/rest/api/3/myself", "applicationRoles"),
        ["serverInfo"] = new("/rest/api/3/serverInfo", "get", "/rest/api/3/serverInfo", "serverTime"),
        ["search/approximate-count"] = new("/rest/api/3/search/approximate-count", "post", "/rest/api/3/search/approximate-count", "count", new { jql = "project = ALPHA" }),
        ["issue with every field and renderedFields"] = new("/rest/api/3/issue/{issueIdOrKey}", "get", "/rest/api/3/issue/ALPHA-82?expand=renderedFields", "renderedFields"),
        ["search/jql with renderedFields"] = new("/rest/api/3/search/jql", "post", "/rest/api/3/search/jql", "renderedFields",
            new { jql = "key in (ALPHA-82, BETA-1, DELTA-5)", fields = new[] { "*all" }, expand = "renderedFields" }),
        ["issue comments page"] = new("/rest/api/3/issue/{issueIdOrKey}/comment", "get", "/rest/api/3/issue/ALPHA-82/comment?expand=renderedBody&maxResults=2", "renderedBody"),
        ["issue worklogs page"] = new("/rest/api/3/issue/{issueIdOrKey}/worklog", "get", "/rest/api/3/issue/10011/worklog?startAt=5&maxResults=25", "timeSpentSeconds"),
        ["worklog/list"] = new("/rest/api/3/worklog/list", "post", "/rest/api/3/worklog/list", "issueId", new { ids = new[] { 1001100L, 1001101L, 1018400L } }),
        ["project/search with description and lead"] = new("/rest/api/3/project/search", "get", "/rest/api/3/project/search?maxResults=2&expand=description,lead", "nextPage"),
        ["project"] = new("/rest/api/3/project/{projectIdOrKey}", "get", "/rest/api/3/project/GAMMA", "issueTypes"),
        ["issuetype"] = new("/rest/api/3/issuetype", "get", "/rest/api/3/issuetype", "hierarchyLevel"),
        ["status"] = new("/rest/api/3/status", "get", "/rest/api/3/status", "statusCategory"),
        ["statuscategory"] = new("/rest/api/3/statuscategory", "get", "/rest/api/3/statuscategory", "colorName"),
        ["priority"] = new("/rest/api/3/priority", "get", "/rest/api/3/priority", "statusColor"),
        ["priority/search"] = new("/rest/api/3/priority/search", "get", "/rest/api/3/priority/search?maxResults=3", "isDefault"),
        ["users/search"] = new("/rest/api/3/users/search", "get", "/rest/api/3/users/search", "timeZone"),
        ["user"] = new("/rest/api/3/user", "get", "/rest/api/3/user?accountId=5f1a2b3c4d5e6f7081920a05", "emailAddress"),
    };

    public static TheoryData<string> CallNames => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task ResponseMatchesThePublishedSchema(string call)
    {
        var spec = Calls[call];
        var body = await SendAsync(spec, TestContext.Current.CancellationToken);

        var violations = JiraPlatformSpec.Validator.Validate(JiraPlatformSpec.ResponseSchema(spec.SpecPath, spec.SpecMethod), body);

        Assert.True(violations.Count == 0,
            $"{violations.Count} violation(s) of {spec.SpecMethod.ToUpperInvariant()} {spec.SpecPath}:\n{string.Join('\n', violations)}");
    }

    [Fact]
    public async Task DoctoredResponseReportsEachViolationWithItsPath()
    {
        var spec = Calls["issue changelog page"];
        var body = await SendAsync(spec, TestContext.Current.CancellationToken);
        var schema = JiraPlatformSpec.ResponseSchema(spec.SpecPath, spec.SpecMethod);
        var baseline = JiraPlatformSpec.Validator.Validate(schema, body);

        var doctored = JsonNode.Parse(body.GetRawText())!;
        doctored["values"]![0]!["items"]![0]!["fieldName"] = "status";
        doctored["values"]![1]!["author"]!["colour"] = "blue";
        doctored["values"]![2]!["id"] = 42;
        doctored["values"]![3]!["items"] = new JsonObject();
        doctored["isLast"] = "no";
        var violations = JiraPlatformSpec.Validator.Validate(schema, JsonSerializer.SerializeToElement(doctored));

        Assert.Equal(
            [
                new SchemaViolation("$.isLast", "PageBeanChangelog.isLast wants boolean, got \"no\""),
                new SchemaViolation("$.values[0].items[0].fieldName", "not a property of ChangeDetails (additionalProperties: false)"),
                new SchemaViolation("$.values[1].author.colour", "not a property of UserDetails (additionalProperties: false)"),
                new SchemaViolation("$.values[2].id", "Changelog.id wants string, got 42"),
                new SchemaViolation("$.values[3].items", "Changelog.items wants array, got an object"),
            ],
            violations.Except(baseline).OrderBy(v => v.Path, StringComparer.Ordinal));
    }

    private async Task<JsonElement> SendAsync(Call call, CancellationToken cancellationToken)
    {
        using var client = simulator.CreateClient();
        using var response = call.Body is null
            ? await client.GetAsync(call.Url, cancellationToken)
            : await client.PostAsJsonAsync(call.Url, call.Body, cancellationToken);
        var body = await response.ReadJsonAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{call.Url} answered {(int)response.StatusCode}: {body}");
        Assert.Contains($"\"{call.Shows}\":", body.GetRawText(), StringComparison.Ordinal);
        return body;
    }
}
