using System.Text.Json;
using System.Text.Json.Serialization;

namespace JiraExport.Core.Jira;

/// <summary>An issue as a sync stores it: its <c>fields</c> kept whole (custom fields included) and its full changelog.</summary>
public sealed record JiraIssueDocument(string Id, string Key, JsonElement Fields, JiraEmbeddedChangelog? Changelog);

/// <summary>The changelog <c>expand=changelog</c> embeds: possibly only the newest entries, with the true <see cref="Total"/>.</summary>
public sealed record JiraEmbeddedChangelog(int Total, List<JiraChangelogEntry>? Histories);

/// <summary>One changelog entry (Jira's <c>Changelog</c>).</summary>
public sealed record JiraChangelogEntry(
    string Id,
    JiraUser? Author,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? Created,
    List<JiraChangeItem>? Items);

/// <summary>Jira's <c>ChangeDetails</c>; <c>fieldId</c> is missing on Data Center.</summary>
public sealed record JiraChangeItem(
    string Field,
    string? FieldId,
    string? Fieldtype,
    string? From,
    string? FromString,
    string? To,
    [property: JsonPropertyName("toString")] string? ToText)
{
    [JsonIgnore]
    public bool IsStatusChange =>
        string.Equals(FieldId ?? Field, "status", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One row of a cheap walk: the id and when the issue last changed.</summary>
public sealed record JiraIssueStamp(string Id, string Key, DateTimeOffset Updated);

/// <summary>A page of a walk and where the next one starts (null after the last page).</summary>
public sealed record JiraStampPage(IReadOnlyList<JiraIssueStamp> Issues, string? NextCursor, int? Total);

/// <summary>Jira's <c>FieldDetails</c>: custom fields are resolved by id, name and schema type, never by a guessed id.</summary>
public sealed record JiraField(string Id, string Name, bool Custom, JiraFieldSchema? Schema);

/// <summary>A status of <c>GET /status</c>; <c>statusCategory.key</c> is <c>new</c>, <c>indeterminate</c> or <c>done</c>.</summary>
public sealed record JiraStatusEntry(string Id, string? Name, JiraStatusCategory? StatusCategory);

public sealed record JiraStatusCategory(string? Key);

public sealed record JiraFieldSchema(string Type, string? Items, string? System, string? Custom, long? CustomId);

public sealed record JiraServerInfo(
    string? BaseUrl, string? Version, string? DeploymentType,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? ServerTime);
