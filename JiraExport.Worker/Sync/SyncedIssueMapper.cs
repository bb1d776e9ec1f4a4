using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Jira.RichText;

namespace JiraExport.Worker.Sync;

/// <summary>Everything a sync stores for one issue.</summary>
public sealed record SyncedIssueRow(
    SyncedIssue Issue,
    List<IssueStatusTransition> Transitions,
    List<IssueComment> Comments,
    List<IssueWorklog> Worklogs,
    List<SyncedSprint> Sprints,
    List<IssueLink> Links);

/// <summary>
/// Turns an issue as Jira sent it, with its whole changelog (and, when the issue's fields held only the first ones, all
/// its comments and worklogs), into stored rows: the issue, status transitions, comments, worklogs, sprints, links.
/// </summary>
public static class SyncedIssueMapper
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Whether the issue's <c>comment</c> or <c>worklog</c> field holds fewer entries than its total.</summary>
    public static bool IsTruncated(JsonElement fields, string field, string items) =>
        fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(field, out var page) && page.ValueKind == JsonValueKind.Object
        && page.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number
        && total.GetInt32() > (page.TryGetProperty(items, out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0);

    public static SyncedIssueRow Map(
        JiraIssueDocument document, IReadOnlyList<JiraChangelogEntry> changelog, Guid tenantId, Guid connectionId, string? sprintFieldId,
        IReadOnlyList<JsonElement>? allComments = null, IReadOnlyList<JsonElement>? allWorklogs = null)
    {
        var fields = document.Fields;
        var issueId = long.Parse(document.Id, CultureInfo.InvariantCulture);
        var ordered = changelog
            .OrderBy(e => e.Created ?? DateTimeOffset.MinValue)
            .ThenBy(e => long.TryParse(e.Id, CultureInfo.InvariantCulture, out var id) ? id : long.MaxValue)
            .ToList();
        var (descriptionHtml, descriptionText) = Property(fields, "description") is { } description ? RichTextOf(description) : (null, null);

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
            Created = Date(fields, "created"),
            Updated = Date(fields, "updated") ?? throw new JiraException(JiraFailureKind.Protocol, $"Jira returned issue {document.Key} without 'updated'."),
            DescriptionHtml = descriptionHtml,
            DescriptionText = descriptionText,
            Fields = fields.GetRawText(),
            Changelog = JsonSerializer.Serialize(ordered, Json),
        };

        var comments = (allComments ?? Items(fields, "comment", "comments")).Select(c =>
        {
            var (html, text) = Property(c, "body") is { } body ? RichTextOf(body) : (string.Empty, string.Empty);
            return new IssueComment
            {
                TenantId = tenantId, ConnectionId = connectionId, IssueId = issueId, CommentId = Text(c, "id") ?? string.Empty,
                AuthorAccountId = Text(c, "author", "accountId") ?? Text(c, "author", "name"), AuthorName = Text(c, "author", "displayName"),
                Created = Date(c, "created") ?? issue.Updated, Updated = Date(c, "updated"), BodyHtml = html ?? string.Empty, BodyText = text ?? string.Empty,
            };
        }).Where(c => c.CommentId.Length > 0).DistinctBy(c => c.CommentId).ToList();

        var worklogs = (allWorklogs ?? Items(fields, "worklog", "worklogs")).Select(w => new IssueWorklog
        {
            TenantId = tenantId, ConnectionId = connectionId, IssueId = issueId, WorklogId = Text(w, "id") ?? string.Empty,
            AuthorAccountId = Text(w, "author", "accountId") ?? Text(w, "author", "name"), AuthorName = Text(w, "author", "displayName"),
            Started = Date(w, "started") ?? issue.Updated,
            TimeSpentSeconds = Property(w, "timeSpentSeconds") is { ValueKind: JsonValueKind.Number } seconds ? seconds.GetInt32() : 0,
            CommentText = Property(w, "comment") is { } comment ? RichTextOf(comment).Text : null,
        }).Where(w => w.WorklogId.Length > 0).DistinctBy(w => w.WorklogId).ToList();

        // Old Server versions render sprints as strings ("…Sprint@1a2b[id=1,…]"); only objects are read.
        var sprints = (sprintFieldId is null ? [] : Items(fields, sprintFieldId))
            .Where(s => s.ValueKind == JsonValueKind.Object && Property(s, "id") is { ValueKind: JsonValueKind.Number })
            .Select(s => new SyncedSprint
            {
                TenantId = tenantId, ConnectionId = connectionId, SprintId = s.GetProperty("id").GetInt64(),
                BoardId = Property(s, "boardId") is { ValueKind: JsonValueKind.Number } board ? board.GetInt64() : null,
                Name = Text(s, "name") ?? string.Empty, State = Text(s, "state") ?? "unknown", Goal = Text(s, "goal"),
                StartDate = Date(s, "startDate"), EndDate = Date(s, "endDate"), CompleteDate = Date(s, "completeDate"),
            }).DistinctBy(s => s.SprintId).ToList();

        var links = Items(fields, "issuelinks").Select(l =>
        {
            var outward = Property(l, "outwardIssue");
            var other = outward ?? Property(l, "inwardIssue");
            return other is null ? null : new IssueLink
            {
                TenantId = tenantId, ConnectionId = connectionId, IssueId = issueId, LinkId = Text(l, "id") ?? string.Empty,
                LinkType = Text(l, "type", "name") ?? string.Empty,
                Relation = (outward is not null ? Text(l, "type", "outward") : Text(l, "type", "inward")) ?? string.Empty,
                OtherIssueId = long.TryParse(Text(other.Value, "id"), CultureInfo.InvariantCulture, out var otherId) ? otherId : 0,
                OtherKey = Text(other.Value, "key") ?? string.Empty,
            };
        }).OfType<IssueLink>().Where(l => l.LinkId.Length > 0).DistinctBy(l => l.LinkId).ToList();

        return new SyncedIssueRow(issue, Transitions(ordered, tenantId, connectionId, issueId, issue.Updated), comments, worklogs, sprints, links);
    }

    private static List<IssueStatusTransition> Transitions(
        List<JiraChangelogEntry> ordered, Guid tenantId, Guid connectionId, long issueId, DateTimeOffset updated)
    {
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
                At = entry.Created?.ToUniversalTime() ?? updated,
                FromStatusId = change.From,
                FromStatus = change.FromString,
                ToStatusId = change.To,
                ToStatus = change.ToText,
                AuthorAccountId = entry.Author?.AccountId ?? entry.Author?.Name,
                AuthorName = entry.Author?.DisplayName,
            });
        }

        return transitions;
    }

    /// <summary>Rich text as Jira sends it: an ADF document (Cloud v3) or a wiki markup string (v2, Data Center).</summary>
    private static (string? Html, string? Text) RichTextOf(JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.Object => (AtlassianDocument.ToHtml(body), AtlassianDocument.ToPlainText(body)),
        JsonValueKind.String => (WikiMarkup.ToHtml(body.GetString()), WikiMarkup.ToPlainText(body.GetString())),
        _ => (null, null),
    };

    /// <summary>An array field, or the array inside a paged field (<c>comment.comments</c>); empty when absent.</summary>
    private static IReadOnlyList<JsonElement> Items(JsonElement fields, string field, string? items = null)
    {
        var value = Property(fields, field);
        if (items is not null && value is { ValueKind: JsonValueKind.Object } page)
        {
            value = Property(page, items);
        }

        return value is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }

    // PostgreSQL's timestamptz takes UTC only (Npgsql refuses other offsets); Jira's offset says nothing the instant does not.
    private static DateTimeOffset? Date(JsonElement element, string name) =>
        Text(element, name) is { Length: > 0 } text && Property(element, name) is { ValueKind: JsonValueKind.String }
            ? JiraDateTimeOffsetConverter.Parse(text).ToUniversalTime()
            : null;
}
