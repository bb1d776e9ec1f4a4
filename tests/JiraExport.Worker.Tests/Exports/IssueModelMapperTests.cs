using System.Text.Json;
using JiraExport.Worker.Exports.Reports;

namespace JiraExport.Worker.Tests.Exports;

public sealed class IssueModelMapperTests
{
    private static readonly IssueModelMapper Mapper = new(
        new Dictionary<string, string> { ["customfield_10016"] = "Story point estimate", ["customfield_10050"] = "Team" },
        "https://example.atlassian.net");

    [Fact]
    public void TheStandardFieldsAreTypedAndTheCustomFieldsNamed()
    {
        var issue = Mapper.Map("10001", "ALPHA-7", Fields("""
            {
              "summary": "Login page is blank",
              "project": { "key": "ALPHA" },
              "issuetype": { "name": "Bug" },
              "status": { "name": "In Progress", "statusCategory": { "key": "indeterminate" } },
              "priority": { "name": "High" },
              "assignee": { "displayName": "Мария Кузнецова" },
              "reporter": null,
              "created": "2026-11-20T09:00:00.000+0300",
              "updated": "2026-11-24T10:15:30.000+0300",
              "labels": ["ux", "login"],
              "components": [{ "name": "Web" }],
              "fixVersions": [{ "name": "2.4", "released": true, "releaseDate": "2026-12-01" }],
              "customfield_10016": 5,
              "customfield_10050": { "value": "Platform" },
              "customfield_10099": null
            }
            """), null, null, [], IssueActivityModel.None);

        Assert.Equal(("ALPHA", "Bug", "In Progress", "indeterminate", "High", "Мария Кузнецова", null),
            (issue.Project, issue.IssueType, issue.Status, issue.StatusCategory, issue.Priority, issue.Assignee, issue.Reporter));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 15, 30, TimeSpan.Zero), issue.Updated);
        Assert.Equal("https://example.atlassian.net/browse/ALPHA-7", issue.Url);
        Assert.Equal(["ux", "login"], issue.Labels);
        Assert.Equal(["Web"], issue.Components);
        Assert.Equal(5, issue.StoryPoints);
        Assert.Equal(["Story point estimate", "Team"], issue.CustomFields.Select(f => f.Name));
        Assert.Equal("Platform", issue.Fields["Team"]);
        Assert.Equal("Platform", issue.Fields["customfield_10050"]);
        Assert.Equal("2026-11-24 07:15", issue.Fields["updated"]);
        Assert.Equal("ux, login", issue.Fields["labels"]);
    }

    [Fact]
    public void ADescriptionInWikiMarkupAndOneInAtlassianDocumentFormatBothBecomeHtml()
    {
        var wiki = Mapper.Map("1", "ALPHA-1", Fields("""{ "description": "*bold* and <script>alert(1)</script>" }"""), null, null, [], IssueActivityModel.None);
        var adf = Mapper.Map("2", "ALPHA-2", Fields("""
            { "description": { "type": "doc", "version": 1, "content": [
              { "type": "paragraph", "content": [{ "type": "text", "text": "bold", "marks": [{ "type": "strong" }] }, { "type": "text", "text": " <b>" }] } ] } }
            """), null, null, [], IssueActivityModel.None);

        Assert.Contains("<strong>bold</strong>", wiki.DescriptionHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", wiki.DescriptionHtml, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", adf.DescriptionHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", adf.DescriptionHtml, StringComparison.Ordinal);
        Assert.Equal("bold <b>", adf.DescriptionText);
    }

    [Fact]
    public void AnIssueWithoutFieldsStillHasItsKeyAndProject()
    {
        var issue = Mapper.Map("3", "BETA-3", Fields("{}"), null, null, [], IssueActivityModel.None);

        Assert.Equal(("BETA", string.Empty, string.Empty), (issue.Project, issue.Summary, issue.Status));
        Assert.Empty(issue.CustomFields);
    }

    [Theory]
    [InlineData(59, "0m")]
    [InlineData(90 * 60, "1h 30m")]
    [InlineData(26 * 3600, "26h")]
    public void AWorklogDurationReadsAsJiraWritesIt(int seconds, string expected) =>
        Assert.Equal(expected, IssueModelMapper.Duration(seconds));

    private static JsonElement Fields(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
