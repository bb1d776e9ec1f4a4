using System.Text.Json;

namespace JiraExport.Api.Contracts;

/// <summary>A synced issue as lists show it (unsealed: v2's <see cref="IssueSearchResponse"/> adds the fields asked for).</summary>
public record SyncedIssueResponse(
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

/// <summary>
/// An issue in v2's search: the stored summary and, under <c>fields</c>, the Jira fields the search's <c>fields</c>
/// named, as Jira sent them (a field the issue lacks is left out; absent when <c>fields</c> was not given).
/// </summary>
public sealed record IssueSearchResponse : SyncedIssueResponse
{
    public IssueSearchResponse(SyncedIssueResponse issue, IReadOnlyDictionary<string, JsonElement>? fields) : base(issue) => Fields = fields;

    public IReadOnlyDictionary<string, JsonElement>? Fields { get; init; }
}

public sealed record SyncedIssuePageResponse(IReadOnlyList<SyncedIssueResponse> Items, string? NextCursor);

public sealed record StatusTransitionResponse(
    string HistoryId, DateTimeOffset At, string? FromStatusId, string? FromStatus, string? ToStatusId, string? ToStatus, string? AuthorAccountId, string? Author);

public sealed record IssueCommentResponse(string Id, string? AuthorAccountId, string? Author, DateTimeOffset Created, DateTimeOffset? Updated, string BodyHtml, string BodyText);

public sealed record IssueWorklogResponse(string Id, string? AuthorAccountId, string? Author, DateTimeOffset Started, int TimeSpentSeconds, string? Comment);

public sealed record IssueSprintResponse(
    long Id, long? BoardId, string Name, string State, DateTimeOffset? StartDate, DateTimeOffset? EndDate, DateTimeOffset? CompleteDate, string? Goal);

public sealed record IssueLinkResponse(string Id, string Type, string Relation, long OtherIssueId, string OtherKey);

/// <summary>
/// One stored issue: Jira's fields as they came (custom fields included), the description as sanitized HTML and plain
/// text, status transitions, comments, worklogs, sprints, links and the full changelog.
/// </summary>
public sealed record SyncedIssueDetailResponse(
    SyncedIssueResponse Issue,
    string? DescriptionHtml,
    string? DescriptionText,
    JsonElement Fields,
    IReadOnlyList<StatusTransitionResponse> Transitions,
    IReadOnlyList<IssueCommentResponse> Comments,
    IReadOnlyList<IssueWorklogResponse> Worklogs,
    IReadOnlyList<IssueSprintResponse> Sprints,
    IReadOnlyList<IssueLinkResponse> Links,
    JsonElement Changelog,
    DateTimeOffset SyncedAt);
