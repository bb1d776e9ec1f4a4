using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>
/// The Sprint field (<c>customfield_10020</c>) against the Agile API's sprint issue lists and against the changelog's
/// "Sprint" entries, over the whole DELTA project.
/// </summary>
public sealed class SprintFieldTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const int DeltaBoard = 4;

    [Fact]
    public async Task SprintFieldsAndSprintIssueListsAgreeBothWays()
    {
        using var client = simulator.CreateClient();
        var issues = await DeltaIssuesAsync(client, "customfield_10020");
        var (sprints, _) = await client.ReadAgileValuesAsync($"/rest/agile/1.0/board/{DeltaBoard}/sprint", TestContext.Current.CancellationToken);

        var fromFields = issues.SelectMany(i => i.SprintIds().Select(s => (Sprint: s, Key: i.Key()))).ToLookup(e => e.Sprint, e => e.Key);
        foreach (var sprint in sprints)
        {
            var listed = await client.ReadIssuePagesAsync($"/rest/agile/1.0/sprint/{sprint.IntId()}/issue?fields=customfield_10020", 1000, TestContext.Current.CancellationToken);
            Assert.Equal(fromFields[sprint.IntId()].Order(StringComparer.Ordinal), listed.Select(i => i.Key()).Order(StringComparer.Ordinal));
        }

        // Every sprint an issue names is one of its project's board's sprints.
        Assert.Empty(fromFields.Select(g => g.Key).Except(sprints.Select(s => s.IntId())));
        Assert.Contains(issues, i => i.SprintIds().Count >= 3);
        Assert.Contains(issues, i => i.SprintIds().Count == 0);
    }

    [Fact]
    public async Task SprintFieldListsSprintsInOrderWithOnlyTheLastOpen()
    {
        using var client = simulator.CreateClient();

        var issues = await DeltaIssuesAsync(client, "customfield_10020,status");

        foreach (var sprints in issues.Select(Sprints).Where(s => s.Count > 0))
        {
            Assert.Equal(sprints.Select(s => s.IntId()).Order(), sprints.Select(s => s.IntId()));
            Assert.All(sprints.SkipLast(1), s => Assert.Equal("closed", s.GetProperty("state").GetString()));
            Assert.All(sprints, s => Assert.Equal(DeltaBoard, s.GetProperty("boardId").GetInt32()));
        }

        Assert.Contains(issues, i => Sprints(i) is [.., var last] && last.GetProperty("state").GetString() == "active");
        Assert.Contains(issues, i => Sprints(i) is [.., var last] && last.GetProperty("state").GetString() == "future"
                                     && i.GetProperty("fields").GetProperty("status").GetProperty("name").GetString() == "To Do");
    }

    [Fact]
    public async Task SprintChangelogEntriesBuildUpTheField()
    {
        using var client = simulator.CreateClient();
        var issues = (await DeltaIssuesAsync(client, "customfield_10020,created,updated")).Where(i => i.SprintIds().Count > 0).Take(60).ToList();

        foreach (var issue in issues)
        {
            var names = Sprints(issue).Select(s => s.GetProperty("name").GetString()!).ToList();
            var changes = (await client.ReadChangelogAsync(issue.Key(), TestContext.Current.CancellationToken))
                .SelectMany(h => h.GetProperty("items").EnumerateArray().Select(item => (History: h, Item: item)))
                .Where(c => c.Item.GetProperty("field").GetString() == "Sprint")
                .ToList();

            Assert.Equal(names.Count, changes.Count);
            Assert.Equal(JsonValueKind.Null, changes[0].Item.GetProperty("fromString").ValueKind);
            for (var i = 0; i < changes.Count; i++)
            {
                Assert.Equal(string.Join(", ", names.Take(i + 1)), changes[i].Item.GetProperty("toString").GetString());
                Assert.Equal("customfield_10020", changes[i].Item.GetProperty("fieldId").GetString());
                Assert.Equal(JsonValueKind.Null, changes[i].Item.GetProperty("from").ValueKind);
                Assert.Equal(JsonValueKind.Null, changes[i].Item.GetProperty("to").ValueKind);
                Assert.InRange(changes[i].History.Created(), Date(issue, "created"), Date(issue, "updated"));
            }

            // Carried over when the earlier sprint was completed.
            for (var i = 1; i < changes.Count; i++)
            {
                Assert.Equal(names[i - 1], changes[i].Item.GetProperty("fromString").GetString()!.Split(", ")[^1]);
                Assert.Equal(Sprints(issue)[i - 1].AgileDate("completeDate"), changes[i].History.Created());
            }
        }
    }

    [Fact]
    public async Task DoneIssuesEndInTheSprintTheyWereFinishedIn()
    {
        using var client = simulator.CreateClient();
        var (sprints, _) = await client.ReadAgileValuesAsync($"/rest/agile/1.0/board/{DeltaBoard}/sprint", TestContext.Current.CancellationToken);
        var done = (await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DDELTA%20AND%20status%3DDone&fields=customfield_10020", 1000, TestContext.Current.CancellationToken))
            .Where(i => i.SprintIds().Count > 0).Take(60).ToList();

        Assert.NotEmpty(done);
        var position = sprints.Select((s, i) => (s.IntId(), i)).ToDictionary();
        foreach (var issue in done)
        {
            var finished = (await client.ReadChangelogAsync(issue.Key(), TestContext.Current.CancellationToken))
                .Last(h => h.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("field").GetString() == "status" && c.GetProperty("toString").GetString() == "Done"))
                .Created();
            var last = position[issue.SprintIds()[^1]];

            // A sprint holds what happened after the previous sprint's completion, up to its own.
            Assert.True(sprints[last].AgileDate("completeDate") is not { } complete || finished <= complete, $"{issue.Key()} finished after its last sprint");
            Assert.True(last == 0 || finished > sprints[last - 1].AgileDate("completeDate"), $"{issue.Key()} finished before its last sprint");
        }
    }

    private static async Task<List<JsonElement>> DeltaIssuesAsync(HttpClient client, string fields) =>
        await client.ReadIssuePagesAsync($"/rest/api/2/search?jql=project%3DDELTA&fields={fields}", 1000, TestContext.Current.CancellationToken);

    private static List<JsonElement> Sprints(JsonElement issue) =>
        issue.GetProperty("fields").GetProperty("customfield_10020") is { ValueKind: JsonValueKind.Array } sprints ? [.. sprints.EnumerateArray()] : [];

    private static DateTimeOffset Date(JsonElement issue, string field) =>
        JiraResponses.ParseJiraDate(issue.GetProperty("fields").GetProperty(field).GetString()!);
}
