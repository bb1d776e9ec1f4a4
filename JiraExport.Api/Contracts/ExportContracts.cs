using JiraExport.Core.Domain;

namespace JiraExport.Api.Contracts;

/// <summary>
/// <paramref name="Source"/>: <c>store</c> (default: the synced copy, fast) or <c>live</c> (read from Jira now).
/// <paramref name="TemplateVersion"/>: a published version of <paramref name="Template"/>; null takes the latest.
/// </summary>
public sealed record CreateExportRequest(
    Guid? ConnectionId,
    string? Jql,
    string? Format,
    string? Template,
    string? Title,
    string? Source = null,
    int? TemplateVersion = null,
    IReadOnlyList<string>? Fields = null,
    ExportOptions? Options = null);

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
    DateTimeOffset? SyncWatermark,
    int? TemplateVersion,
    IReadOnlyList<string>? Fields,
    BulkExportSummary? Bulk = null,
    Guid? ParentExportId = null);

public sealed record ExportPageResponse(IReadOnlyList<ExportResponse> Items, string? NextCursor);
