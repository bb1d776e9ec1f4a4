using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>The validator itself: on Atlassian's own examples, and on small schemas that show each rule can fail.</summary>
public sealed class OpenApiSchemaValidatorTests
{
    private static readonly (string Path, string Method)[] ConformanceOperations =
    [
        ("/rest/api/3/search/jql", "post"),
        ("/rest/api/3/issue/bulkfetch", "post"),
        ("/rest/api/3/issue/{issueIdOrKey}", "get"),
        ("/rest/api/3/issue/{issueIdOrKey}/changelog", "get"),
        ("/rest/api/3/field", "get"),
        ("/rest/api/3/myself", "get"),
        ("/rest/api/3/serverInfo", "get"),
        ("/rest/api/3/search/approximate-count", "post"),
        ("/rest/api/3/issue/{issueIdOrKey}/comment", "get"),
        ("/rest/api/3/issue/{issueIdOrKey}/worklog", "get"),
        ("/rest/api/3/worklog/list", "post"),
    ];

    public static TheoryData<string, string> Operations => [.. ConformanceOperations];

    [Theory]
    [MemberData(nameof(Operations))]
    public void AtlassiansOwnExamplesPassWithTheErrata(string path, string method)
    {
        var violations = JiraPlatformSpec.Validator.Validate(JiraPlatformSpec.ResponseSchema(path, method), JiraPlatformSpec.ResponseExample(path, method));

        Assert.Empty(violations);
    }

    [Fact]
    public void EachErratumIsWhereAtlassiansExamplesBreakTheirSchemas()
    {
        var strict = new OpenApiSchemaValidator(JiraPlatformSpec.Document, SchemaErrata.None);

        var violations = ConformanceOperations.SelectMany(o => strict.Validate(
            JiraPlatformSpec.ResponseSchema(o.Path, o.Method), JiraPlatformSpec.ResponseExample(o.Path, o.Method))).ToList();

        Assert.Equal(
            [
                "$.expand: not a property of BulkIssueResults (additionalProperties: false)",
                "$.values[0].items[0].from: ChangeDetails.from wants string, got null",
                "$.values[0].items[0].to: ChangeDetails.to wants string, got null",
                "$.values[1].items[0].from: ChangeDetails.from wants string, got null",
                "$.values[1].items[0].to: ChangeDetails.to wants string, got null",
                "$.defaultLocale: not a property of ServerInformation (additionalProperties: false)",
            ],
            violations.Select(v => v.ToString()));
    }

    [Fact]
    public void BulkChangelogExampleIsCaughtSendingEpochMilliseconds()
    {
        // Atlassian's own example writes "created" as a number where the schema says a date-time string; no erratum
        // covers it, because the simulator (like the other endpoints) sends the string.
        const string path = "/rest/api/3/changelog/bulkfetch";

        var violations = JiraPlatformSpec.Validator.Validate(JiraPlatformSpec.ResponseSchema(path, "post"), JiraPlatformSpec.ResponseExample(path, "post"));

        Assert.Equal(["$.issueChangeLogs[0].changeHistories[0].created", "$.issueChangeLogs[0].changeHistories[1].created"], violations.Select(v => v.Path));
        Assert.StartsWith("Changelog.created wants string, got ", violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsMissingRequiredWrongEnumRepeatsAndTooLong()
    {
        var schema = Json("""
            {"type":"object","required":["name","kind"],"properties":{
              "kind":{"type":"string","enum":["a","b"]},
              "tags":{"type":"array","uniqueItems":true,"items":{"type":"string","maxLength":3}},
              "count":{"type":"integer"}}}
            """);

        var violations = Validator(schema).Validate(schema, Json("""{"kind":"c","tags":["x","x","long"],"count":1.5}"""));

        Assert.Equal(
            [
                "$.name: required by (response), but missing",
                "$.kind: (response).kind allows only [\"a\", \"b\"], got \"c\"",
                "$.tags[2]: (response).tags[] allows at most 3 characters",
                "$.tags: (response).tags wants unique items, \"x\" repeats",
                "$.count: (response).count wants integer, got 1.5",
            ],
            violations.Select(v => v.ToString()));
    }

    [Fact]
    public void AdditionalPropertiesFalseAdmitsAllOfMembersAndNullableAllowsNull()
    {
        var document = Json("""
            {"components":{"schemas":{
              "Base":{"type":"object","properties":{"id":{"type":"string"}}},
              "Child":{"type":"object","additionalProperties":false,"allOf":[{"$ref":"#/components/schemas/Base"}],
                       "properties":{"name":{"type":"string","nullable":true},"odd key":{"type":"boolean"}}}}}}
            """);
        var schema = Json("""{"$ref":"#/components/schemas/Child"}""");
        var validator = new OpenApiSchemaValidator(document, SchemaErrata.None);

        var violations = validator.Validate(schema, Json("""{"id":7,"name":null,"odd key":true,"extra":1}"""));

        Assert.Equal(["$.id: Base.id wants string, got 7", "$.extra: not a property of Child (additionalProperties: false)"], violations.Select(v => v.ToString()));
    }

    [Fact]
    public void AnUnknownKeywordThrowsInsteadOfPassing()
    {
        var schema = Json("""{"type":"object","oneOf":[{"type":"object"}]}""");

        var error = Assert.Throws<NotSupportedException>(() => Validator(schema).Validate(schema, Json("{}")));

        Assert.Contains("oneOf", error.Message, StringComparison.Ordinal);
    }

    private static OpenApiSchemaValidator Validator(JsonElement document) => new(document, SchemaErrata.None);

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
