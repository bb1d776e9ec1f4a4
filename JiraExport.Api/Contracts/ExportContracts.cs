using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Contracts;

/// <summary>
/// <paramref name="Source"/>: <c>store</c> (default: the synced copy, fast) or <c>live</c> (read from Jira now).
/// <paramref name="TemplateVersion"/>: a published version of <paramref name="Template"/>; null takes the latest.
/// <paramref name="Fields"/>: the columns of a CSV/XLSX (keys of JSON), in order: standard names (key, summary, status,
/// statusCategory, issuetype, priority, assignee, reporter, created, updated, resolved, resolution, duedate, labels,
/// components, fixVersions, project, parent, description, …) and custom fields by id (<c>customfield_10016</c>) or by the
/// name Jira shows (<c>Story Points</c>). Null: key, summary, status, assignee, priority, updated.
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
    ExportOptions? Options = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        ExportValidation.Validate(this).AsValidationResults();
}

public sealed record ExportAcceptedResponse(Guid Id, string Status);

/// <summary>
/// <paramref name="Status"/>: queued, running, succeeded, failed, or expired (succeeded, but the file is gone: its
/// retention passed at <paramref name="ExpiresAt"/> or it was deleted). <paramref name="Message"/>: the latest progress
/// message, as the live events carry it.
/// </summary>
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
    DateTimeOffset? ExpiresAt = null,
    BulkExportSummary? Bulk = null,
    Guid? ParentExportId = null,
    string? Message = null);

public sealed record ExportPageResponse(IReadOnlyList<ExportResponse> Items, string? NextCursor);
