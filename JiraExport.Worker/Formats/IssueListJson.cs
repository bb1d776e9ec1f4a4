using System.Text.Encodings.Web;
using System.Text.Json;
using JiraExport.Worker.Rendering;

namespace JiraExport.Worker.Formats;

/// <summary>
/// The issue list as JSON, schema <c>jiraexport.issue-list/v1</c>:
/// <c>{schema, title, jql, generatedAt, issueCount, issues:[{key, summary, status, assignee, priority, updated}]}</c>.
/// Fields keep their names across versions; a change of meaning gets a new schema name.
/// </summary>
public static class IssueListJson
{
    public const string Schema = "jiraexport.issue-list/v1";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Write(IssueListReport report) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        schema = Schema,
        title = report.Title,
        jql = report.Jql,
        generatedAt = report.GeneratedAt,
        issueCount = report.Issues.Count,
        issues = report.Issues.Select(i => new { key = i.Key, summary = i.Summary, status = i.Status, assignee = i.Assignee, priority = i.Priority, updated = i.Updated }),
    }, Options);
}
