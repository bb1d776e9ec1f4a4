namespace JiraExport.Api.Contracts;

public sealed record CreateExportRequest(Guid? ConnectionId, string? Jql, string? Format, string? Template, string? Title);

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
    string? Title);

public sealed record ExportPageResponse(IReadOnlyList<ExportResponse> Items, string? NextCursor);
