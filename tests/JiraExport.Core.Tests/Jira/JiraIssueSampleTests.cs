using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Tests.Samples;

namespace JiraExport.Core.Tests.Jira;

/// <summary>Pins the date converter and the issue DTOs against responses real Jira deployments sent.</summary>
public sealed class JiraIssueSampleTests
{
    [Fact(Timeout = 10_000)]
    public async Task CloudSearchPageDeserializesWithItsPlusOneHourDates()
    {
        var issues = await ReadIssuesAsync(JiraSamples.CloudSearch, TestContext.Current.CancellationToken);

        Assert.Equal(["TEST-1", "TEST-2", "TEST-3"], issues.Select(i => i.Key));
        var expected = new DateTimeOffset(2020, 12, 3, 14, 5, 20, 974, TimeSpan.FromHours(1));
        Assert.All(issues, issue =>
        {
            Assert.Equal(expected, issue.Fields.Created);
            Assert.Equal(expected, issue.Fields.Updated);
            Assert.Equal(TimeSpan.FromHours(1), issue.Fields.Updated?.Offset);
        });
    }

    [Fact(Timeout = 10_000)]
    public async Task CloudSearchPageKeepsNamesAndMissingAssignees()
    {
        var issues = await ReadIssuesAsync(JiraSamples.CloudSearch, TestContext.Current.CancellationToken);

        Assert.Equal("Bug summary", issues[0].Fields.Summary);
        Assert.Equal("To Do", issues[0].Fields.Status?.Name);
        Assert.Equal("Medium", issues[0].Fields.Priority?.Name);
        Assert.Null(issues[0].Fields.Assignee);
        Assert.Equal("Person A", issues[2].Fields.Assignee?.DisplayName);
        Assert.Null(issues[2].Fields.Assignee?.AccountId);
    }

    [Fact(Timeout = 10_000)]
    public async Task ServerSearchPageDeserializesWithItsMoscowDatesAndCyrillicValues()
    {
        var issues = await ReadIssuesAsync(JiraSamples.ServerSearch, TestContext.Current.CancellationToken);

        var issue = Assert.Single(issues);
        Assert.Equal("11442", issue.Id);
        Assert.Equal("INDEV-6", issue.Key);
        Assert.Equal(new DateTimeOffset(2018, 12, 5, 14, 32, 11, 571, TimeSpan.FromHours(3)), issue.Fields.Created);
        Assert.Equal(new DateTimeOffset(2018, 12, 19, 12, 36, 15, 507, TimeSpan.FromHours(3)), issue.Fields.Updated);
        Assert.Equal(TimeSpan.FromHours(3), issue.Fields.Created?.Offset);
        Assert.Equal(new DateTimeOffset(2018, 12, 5, 11, 32, 11, 571, TimeSpan.Zero), issue.Fields.Created?.ToUniversalTime());
        Assert.Equal("Prueba de creación de tareas en un proyecto público", issue.Fields.Summary);
        Assert.Equal("К выполнению", issue.Fields.Status?.Name);
        Assert.Equal("Сидоров Егор Ильич", issue.Fields.Assignee?.DisplayName);
        Assert.Equal("Highest", issue.Fields.Priority?.Name);
    }

    [Fact(Timeout = 10_000)]
    public async Task EveryCreatedAndUpdatedValueInTheSamplesParses()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var texts = new List<string>();
        foreach (var sample in new[] { JiraSamples.CloudSearch, JiraSamples.ServerSearch })
        {
            using var document = await JiraSamples.LoadAsync(sample, cancellationToken);
            CollectStrings(document.RootElement, ["created", "updated"], texts);
        }

        // 3 × 2 issue dates in the Cloud page; 2 issue dates and 3 × 2 comment dates in the Server page.
        Assert.Equal(14, texts.Count);
        Assert.All(texts, text =>
        {
            var value = JiraDateTimeOffsetConverter.Parse(text);
            Assert.Equal(text, WriteThroughConverter(value));
        });
    }

    [Fact(Timeout = 10_000)]
    public async Task AgileSprintDatesInExtendedOffsetFormParse()
    {
        using var document = await JiraSamples.LoadAsync(JiraSamples.AgileSprints, TestContext.Current.CancellationToken);
        var sprint = document.RootElement.GetProperty("values")[0];

        var start = JiraDateTimeOffsetConverter.Parse(sprint.GetProperty("startDate").GetString()!);
        var complete = JiraDateTimeOffsetConverter.Parse(sprint.GetProperty("completeDate").GetString()!);

        Assert.Equal(new DateTimeOffset(2015, 4, 11, 15, 22, 0, TimeSpan.FromHours(10)), start);
        Assert.Equal(new DateTimeOffset(2015, 4, 20, 11, 4, 0, TimeSpan.FromHours(10)), complete);
        Assert.Equal(TimeSpan.FromHours(10), start.Offset);
    }

    private static async Task<IReadOnlyList<JiraIssue>> ReadIssuesAsync(string sample, CancellationToken cancellationToken)
    {
        using var document = await JiraSamples.LoadAsync(sample, cancellationToken);
        var issues = document.RootElement.GetProperty("issues").Deserialize<JiraIssue[]>(JsonSerializerOptions.Web);
        Assert.NotNull(issues);
        return issues;
    }

    private static void CollectStrings(JsonElement element, string[] names, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (names.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        into.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        CollectStrings(property.Value, names, into);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectStrings(item, names, into);
                }

                break;
        }
    }

    private static string WriteThroughConverter(DateTimeOffset value)
    {
        var holder = new JiraIssueFields(null, null, null, null, value, null);
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(holder, JsonSerializerOptions.Web));
        return document.RootElement.GetProperty("created").GetString()!;
    }
}
