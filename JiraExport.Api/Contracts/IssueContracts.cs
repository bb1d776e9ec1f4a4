using System.Text.Json;

namespace JiraExport.Api.Contracts;

public sealed record SyncedIssueResponse(
    Guid ConnectionId,
    long Id,
    string Key,
    string Project,
    string Summary,
    string? IssueType,
    string? Status,
    string? StatusCategory,
    string? Priority,
    string? AssigneeAccountId,
    string? Assignee,
    DateTimeOffset? Created,
    DateTimeOffset Updated);

public sealed record SyncedIssuePageResponse(IReadOnlyList<SyncedIssueResponse> Items, string? NextCursor);

public sealed record StatusTransitionResponse(
    string HistoryId, DateTimeOffset At, string? FromStatusId, string? FromStatus, string? ToStatusId, string? ToStatus, string? AuthorAccountId, string? Author);

/// <summary>One stored issue: Jira's fields as they came (custom fields included), its status transitions and full changelog.</summary>
public sealed record SyncedIssueDetailResponse(
    SyncedIssueResponse Issue,
    JsonElement Fields,
    IReadOnlyList<StatusTransitionResponse> Transitions,
    JsonElement Changelog,
    DateTimeOffset SyncedAt);
