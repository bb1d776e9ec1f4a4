using System.Text.Json;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>How a value is written: text, a number, an instant (UTC), a calendar date, or a list of texts.</summary>
public enum IssueFieldKind
{
    Text,
    Number,
    DateTime,
    Date,
    List,
}

/// <summary>
/// One column of an issue list. <paramref name="JiraId"/> is the key of Jira's <c>fields</c> object the value comes from
/// (null for the envelope's <c>key</c> and <c>id</c>); <paramref name="FromJson"/> reads it from that object.
/// <paramref name="FromColumns"/>, when set, reads the same value from the store's typed columns, so a store export
/// need not load the field JSON. Values are <c>string</c>, <c>double</c>, <c>DateTimeOffset</c> (UTC), <c>DateOnly</c> or
/// a list of strings, or null.
/// </summary>
public sealed record IssueField(
    string Name,
    string Header,
    IssueFieldKind Kind,
    string? JiraId,
    Func<IssueSource, object?> FromJson,
    Func<StoredIssueColumns, object?>? FromColumns = null);

/// <summary>An issue as Jira's envelope and (a subset of) its <c>fields</c> object.</summary>
public readonly record struct IssueSource(string Id, string Key, JsonElement Fields)
{
    public JsonElement? Field(string id) =>
        Fields.ValueKind == JsonValueKind.Object && Fields.TryGetProperty(id, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}

/// <summary>The typed columns of a stored issue (<c>jira_issues</c>), read without its field JSON.</summary>
public sealed record StoredIssueColumns(
    long IssueId, string Key, string ProjectKey, string Summary, string? IssueType, string? StatusName, string? StatusCategory,
    string? Priority, string? AssigneeName, DateTimeOffset? Created, DateTimeOffset Updated, string? DescriptionText);
