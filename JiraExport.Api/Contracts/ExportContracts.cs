namespace JiraExport.Api.Contracts;

/// <summary><paramref name="Source"/>: <c>store</c> (default: the synced copy, fast) or <c>live</c> (read from Jira now).</summary>
public sealed record CreateExportRequest(Guid? ConnectionId, string? Jql, string? Format, string? Template, string? Title, string? Source = null);

public sealed record ExportAcceptedResponse(Guid Id, string Status);

public sealed record ExportResponse(
    Guid Id,
    string Status,
    int Progress,
    int? IssueCount,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? FileName,
    long? SizeBytes,
    Guid? ConnectionId,
    string Jql,
    string Format,
    string Template,
    string? Title,
    string Source,
    DateTimeOffset? SyncWatermark);

public sealed record ExportPageResponse(IReadOnlyList<ExportResponse> Items, string? NextCursor);
