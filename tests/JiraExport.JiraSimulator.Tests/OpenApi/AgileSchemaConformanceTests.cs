using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>
/// The simulator's Agile 1.0 answers, checked against Atlassian's Jira Software OpenAPI document: the operations' own
/// 200 schemas for boards, the document's <c>SprintBean</c> and <c>SearchResults</c> where the operations give only an
/// example, and the shape of Atlassian's example for epics (see <see cref="JiraAgileSpec"/>).
/// </summary>
public sealed class AgileSchemaConformanceTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    /// <param name="Shows">A property the answer must hold, so an empty answer cannot pass for a conforming one.</param>
    private sealed record Call(string Url, Func<JsonElement> Schema, string Shows);

    private static readonly Dictionary<string, Call> Calls = new(StringComparer.Ordinal)
    {
        ["boards"] = new("/rest/agile/1.0/board", () => JiraAgileSpec.Component("PageBeanBoard"), "projectTypeKey"),
        ["boards of a project, paged"] = new("/rest/agile/1.0/board?projectKeyOrId=DELTA&maxResults=1", () => JiraAgileSpec.Component("PageBeanBoard"), "isLast"),
        ["board"] = new("/rest/agile/1.0/board/4", () => JiraAgileSpec.Component("Board"), "location"),
        ["scrum board configuration"] = new("/rest/agile/1.0/board/1/configuration", () => JiraAgileSpec.Component("BoardConfigBean"), "estimation"),
        ["kanban board configuration"] = new("/rest/agile/1.0/board/5/configuration", () => JiraAgileSpec.Component("BoardConfigBean"), "subQuery"),
        ["board sprints, every state"] = new("/rest/agile/1.0/board/1/sprint?startAt=70", () => JiraAgileSpec.SprintPage, "completeDate"),
        ["active sprint"] = new("/rest/agile/1.0/sprint/297", () => JiraAgileSpec.Component("SprintBean"), "startDate"),
        ["future sprint"] = new("/rest/agile/1.0/sprint/305", () => JiraAgileSpec.Component("SprintBean"), "createdDate"),
        ["sprint issues with every field"] = new("/rest/agile/1.0/sprint/293/issue?fields=*all&expand=renderedFields,changelog&maxResults=10",
            () => JiraAgileSpec.Component("SearchResults"), "closedSprints"),
        ["epic issues"] = new("/rest/agile/1.0/epic/ALPHA-90001/issue?maxResults=5", () => JiraAgileSpec.Component("SearchResults"), "epic"),
        ["board epics"] = new("/rest/agile/1.0/board/1/epic", () => JiraAgileSpec.EpicPage, "color"),
        ["epic"] = new("/rest/agile/1.0/epic/900001", () => JiraAgileSpec.Epic, "done"),
        ["agile issue"] = new("/rest/agile/1.0/issue/ALPHA-82", () => JiraAgileSpec.Component("IssueBean"), "flagged"),
    };

    public static TheoryData<string> CallNames => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task ResponseMatchesThePublishedSchema(string call)
    {
        var spec = Calls[call];
        using var client = simulator.CreateClient();
        using var response = await client.GetAsync(spec.Url, TestContext.Current.CancellationToken);
        var body = await response.ReadJsonAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{spec.Url} answered {(int)response.StatusCode}: {body}");
        Assert.Contains($"\"{spec.Shows}\":", body.GetRawText(), StringComparison.Ordinal);

        var violations = JiraAgileSpec.Validator.Validate(spec.Schema(), body);

        Assert.True(violations.Count == 0, $"{violations.Count} violation(s) by GET {spec.Url}:\n{string.Join('\n', violations)}");
    }

    [Fact]
    public async Task DoctoredSprintReportsEachViolation()
    {
        using var client = simulator.CreateClient();
        var (_, sprint) = await client.GetJsonAsync("/rest/agile/1.0/sprint/297", TestContext.Current.CancellationToken);
        var doctored = System.Text.Json.Nodes.JsonNode.Parse(sprint.GetRawText())!;
        doctored["id"] = "297";
        doctored["boardId"] = 1;

        var violations = JiraAgileSpec.Validator.Validate(JiraAgileSpec.Component("SprintBean"), JsonSerializer.SerializeToElement(doctored));

        Assert.Equal(
            ["$.id: SprintBean.id wants integer, got \"297\"", "$.boardId: not a property of SprintBean (additionalProperties: false)"],
            violations.Select(v => v.ToString()));
    }
}
