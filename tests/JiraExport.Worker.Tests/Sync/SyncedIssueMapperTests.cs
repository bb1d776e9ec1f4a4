using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Worker.Sync;

namespace JiraExport.Worker.Tests.Sync;

public sealed class SyncedIssueMapperTests
{
    private static readonly Guid Tenant = Guid.CreateVersion7();
    private static readonly Guid Connection = Guid.CreateVersion7();

    [Fact]
    public void StatusChangesBecomeTransitionsInTimeOrderEachOnce()
    {
        var alice = new JiraUser("557058:alice", null, "Alice", null);
        var changelog = new List<JiraChangelogEntry>
        {
            Entry("12", alice, "2026-11-22T10:00:00.000+0000", Status("3", "In Progress", "10001", "Done")),
            Entry("10", alice, "2026-11-20T10:00:00.000+0000", Status("1", "To Do", "3", "In Progress")),
            Entry("11", alice, "2026-11-21T10:00:00.000+0000", new JiraChangeItem("summary", "summary", "jira", null, "Old", null, "New")),
            Entry("10", alice, "2026-11-20T10:00:00.000+0000", Status("1", "To Do", "3", "In Progress")),
        };

        var row = SyncedIssueMapper.Map(Document("""{ "updated": "2026-11-22T10:00:00.000+0000" }"""), changelog, Tenant, Connection, sprintFieldId: null);

        Assert.Equal([("10", "To Do", "In Progress"), ("12", "In Progress", "Done")],
            row.Transitions.Select(t => (t.HistoryId, t.FromStatus, t.ToStatus)));
        Assert.Equal("557058:alice", row.Transitions[0].AuthorAccountId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), row.Transitions[0].At);
    }

    [Fact]
    public void DataCenterPeopleAreKnownByNameAndSprintsAndLinksAreRead()
    {
        var row = SyncedIssueMapper.Map(Document("""
            {
              "updated": "2026-11-22T10:00:00.000+0300",
              "project": { "key": "ALPHA" },
              "assignee": { "name": "jsmith", "displayName": "John Smith" },
              "customfield_10020": [{ "id": 7, "name": "Sprint 7", "state": "active" }, { "id": 7, "name": "Sprint 7", "state": "active" }],
              "issuelinks": [{ "id": "900", "type": { "name": "Blocks", "outward": "blocks" }, "outwardIssue": { "id": "10002", "key": "ALPHA-2" } }],
              "comment": { "total": 1, "comments": [{ "id": "5", "author": { "name": "jsmith", "displayName": "John Smith" }, "body": "Looks *fine*", "created": "2026-11-21T09:00:00.000+0300" }] }
            }
            """), [], Tenant, Connection, sprintFieldId: "customfield_10020");

        Assert.Equal(("ALPHA", "jsmith", "John Smith"), (row.Issue.ProjectKey, row.Issue.AssigneeAccountId, row.Issue.AssigneeName));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero), row.Issue.Updated);
        Assert.Equal(7, Assert.Single(row.Sprints).SprintId);
        Assert.Equal("Blocks", Assert.Single(row.Links).LinkType);
        var comment = Assert.Single(row.Comments);
        Assert.Equal("jsmith", comment.AuthorAccountId);
        Assert.Contains("<strong>fine</strong>", comment.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIssueWithoutUpdatedIsAProtocolError()
    {
        var refused = Assert.Throws<JiraException>(() => SyncedIssueMapper.Map(Document("{}"), [], Tenant, Connection, sprintFieldId: null));

        Assert.Equal(JiraFailureKind.Protocol, refused.Kind);
    }

    [Theory]
    [InlineData("""{ "comment": { "total": 25, "comments": [{}, {}] } }""", true)]
    [InlineData("""{ "comment": { "total": 2, "comments": [{}, {}] } }""", false)]
    [InlineData("""{ "summary": "no comments field" }""", false)]
    public void ACommentPageShorterThanItsTotalIsTruncated(string fields, bool truncated) =>
        Assert.Equal(truncated, SyncedIssueMapper.IsTruncated(Json(fields), "comment", "comments"));

    private static JiraIssueDocument Document(string fields) => new("10001", "ALPHA-1", Json(fields), null);

    private static JiraChangelogEntry Entry(string id, JiraUser author, string created, JiraChangeItem item) =>
        new(id, author, DateTimeOffset.Parse(created.Replace("+0000", "+00:00", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), [item]);

    private static JiraChangeItem Status(string fromId, string from, string toId, string to) => new("status", "status", "jira", fromId, from, toId, to);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
