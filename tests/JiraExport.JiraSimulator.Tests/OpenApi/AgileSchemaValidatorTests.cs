using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>The schemas the Agile conformance test uses, tried on Atlassian's own Agile examples first.</summary>
public sealed class AgileSchemaValidatorTests
{
    private static readonly Dictionary<string, (string Path, Func<JsonElement> Schema)> Examples = new(StringComparer.Ordinal)
    {
        ["getAllBoards"] = ("/rest/agile/1.0/board", () => JiraAgileSpec.Component("PageBeanBoard")),
        ["getBoard"] = ("/rest/agile/1.0/board/{boardId}", () => JiraAgileSpec.Component("Board")),
        ["getConfiguration"] = ("/rest/agile/1.0/board/{boardId}/configuration", () => JiraAgileSpec.Component("BoardConfigBean")),
        ["getAllSprints"] = ("/rest/agile/1.0/board/{boardId}/sprint", () => JiraAgileSpec.SprintPage),
        ["getSprint"] = ("/rest/agile/1.0/sprint/{sprintId}", () => JiraAgileSpec.Component("SprintBean")),
        ["getIssuesForEpic"] = ("/rest/agile/1.0/epic/{epicIdOrKey}/issue", () => JiraAgileSpec.Component("SearchResults")),
        ["getEpics"] = ("/rest/agile/1.0/board/{boardId}/epic", () => JiraAgileSpec.EpicPage),
        ["getEpic"] = ("/rest/agile/1.0/epic/{epicIdOrKey}", () => JiraAgileSpec.Epic),
    };

    public static TheoryData<string> ExampleNames => [.. Examples.Keys];

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void AtlassiansAgileExamplesPassWithTheErrata(string operation)
    {
        var (path, schema) = Examples[operation];

        var violations = JiraAgileSpec.Validator.Validate(schema(), JiraAgileSpec.ResponseExample(path, "get"));

        Assert.Empty(violations);
    }

    [Fact]
    public void EachAgileErratumIsWhereAtlassiansExampleBreaksItsSchema()
    {
        var strict = new OpenApiSchemaValidator(JiraAgileSpec.Document, SchemaErrata.None);

        var violations = Examples.Values.SelectMany(e => strict.Validate(e.Schema(), JiraAgileSpec.ResponseExample(e.Path, "get")));

        Assert.Equal(
            [
                "$.location.key: not a property of BoardConfigBean.location (additionalProperties: false)",
                "$.location.id: not a property of BoardConfigBean.location (additionalProperties: false)",
                "$.location.self: not a property of BoardConfigBean.location (additionalProperties: false)",
                "$.location.name: not a property of BoardConfigBean.location (additionalProperties: false)",
            ],
            violations.Select(v => v.ToString()));
    }

    [Theory]
    [InlineData("/rest/agile/1.0/board", "PageBeanBoard")]
    [InlineData("/rest/agile/1.0/board/{boardId}", "Board")]
    [InlineData("/rest/agile/1.0/board/{boardId}/configuration", "BoardConfigBean")]
    [InlineData("/rest/agile/1.0/board/{boardId}/backlog", "SearchResults")]
    public void OperationSchemasAreTheNamedComponents(string path, string component)
    {
        // Checking against the component keeps errata names readable; this shows it is the operation's own schema.
        var schema = JiraAgileSpec.ResponseSchema(path, "get");
        var resolved = schema.TryGetProperty("$ref", out var reference)
            ? JiraAgileSpec.Document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

        Assert.True(JsonElement.DeepEquals(resolved, JiraAgileSpec.Document.GetProperty("components").GetProperty("schemas").GetProperty(component)));
    }

    [Fact]
    public void SprintIssuesExampleIsOneIssueNotAPage()
    {
        // API-NOTES 2.7: the spec's getIssuesForSprint example shows a bare issue, a spec bug; the page schema catches it.
        var example = JiraAgileSpec.ResponseExample("/rest/agile/1.0/sprint/{sprintId}/issue", "get");

        var asPage = JiraAgileSpec.Validator.Validate(JiraAgileSpec.Component("SearchResults"), example);
        var asIssue = JiraAgileSpec.Validator.Validate(JiraAgileSpec.Component("IssueBean"), example);

        Assert.Contains(asPage, v => v.Path == "$.fields");
        Assert.Empty(asIssue);
    }
}
