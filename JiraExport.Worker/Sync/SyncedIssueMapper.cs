using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;

namespace JiraExport.Worker.Sync;

/// <summary>Turns an issue as Jira sent it, with its whole changelog, into a stored row and its status transitions.</summary>
public static class SyncedIssueMapper
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static (SyncedIssue Issue, List<IssueStatusTransition> Transitions) Map(
        JiraIssueDocument document, IReadOnlyList<JiraChangelogEntry> changelog, Guid tenantId, Guid connectionId)
    {
        var fields = document.Fields;
        var issueId = long.Parse(document.Id, CultureInfo.InvariantCulture);
        var ordered = changelog
            .OrderBy(e => e.Created ?? DateTimeOffset.MinValue)
            .ThenBy(e => long.TryParse(e.Id, CultureInfo.InvariantCulture, out var id) ? id : long.MaxValue)
            .ToList();

        var issue = new SyncedIssue
        {
            TenantId = tenantId,
            ConnectionId = connectionId,
            IssueId = issueId,
            Key = document.Key,
            ProjectKey = Text(fields, "project", "key") ?? document.Key.Split('-')[0],
            Summary = Text(fields, "summary") ?? string.Empty,
            IssueType = Text(fields, "issuetype", "name"),
            StatusId = Text(fields, "status", "id"),
            StatusName = Text(fields, "status", "name"),
            StatusCategory = Text(fields, "status", "statusCategory", "key"),
            Priority = Text(fields, "priority", "name"),
            // Cloud names people by accountId, Data Center by name.
            AssigneeAccountId = Text(fields, "assignee", "accountId") ?? Text(fields, "assignee", "name"),
            AssigneeName = Text(fields, "assignee", "displayName"),
            Created = Date(fields, "created")?.ToUniversalTime(),
            // PostgreSQL's timestamptz takes UTC only (Npgsql refuses other offsets); Jira's offset says nothing the instant does not.
            Updated = Date(fields, "updated")?.ToUniversalTime() ?? throw new JiraException(JiraFailureKind.Protocol, $"Jira returned issue {document.Key} without 'updated'."),
            Fields = fields.GetRawText(),
            Changelog = JsonSerializer.Serialize(ordered, Json),
        };

        var transitions = new List<IssueStatusTransition>();
        foreach (var entry in ordered)
        {
            if (entry.Items?.FirstOrDefault(i => i.IsStatusChange) is not { } change || transitions.Any(t => t.HistoryId == entry.Id))
            {
                continue;
            }

            transitions.Add(new IssueStatusTransition
            {
                TenantId = tenantId,
                ConnectionId = connectionId,
                IssueId = issueId,
                HistoryId = entry.Id,
                At = entry.Created?.ToUniversalTime() ?? issue.Updated,
                FromStatusId = change.From,
                FromStatus = change.FromString,
                ToStatusId = change.To,
                ToStatus = change.ToText,
                AuthorAccountId = entry.Author?.AccountId ?? entry.Author?.Name,
                AuthorName = entry.Author?.DisplayName,
            });
        }

        return (issue, transitions);
    }

    private static string? Text(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private static DateTimeOffset? Date(JsonElement fields, string name) =>
        Text(fields, name) is { Length: > 0 } text ? JiraDateTimeOffsetConverter.Parse(text) : null;
}
