namespace JiraExport.Api.Contracts;

/// <summary><c>{mode:"full"|"incremental", projects?:[..], jql?}</c>; without a scope the connection's last one is used.</summary>
public sealed record StartSyncRequest(string? Mode, IReadOnlyList<string>? Projects, string? Jql);

/// <summary><paramref name="AlreadyActive"/>: a run of this connection was queued or running, and is the one answered.</summary>
public sealed record SyncAcceptedResponse(Guid JobId, string Status, string Mode, bool AlreadyActive);

public sealed record SyncJobResponse(
    Guid Id,
    Guid ConnectionId,
    string Mode,
    string Scope,
    string Status,
    int Progress,
    int? IssuesExpected,
    int IssuesSeen,
    int IssuesWritten,
    int Deleted,
    int Pages,
    DateTimeOffset? ChangedSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);
