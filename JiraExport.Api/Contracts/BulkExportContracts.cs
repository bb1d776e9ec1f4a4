using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Contracts;

/// <summary>
/// One request, many documents: one per issue, project or sprint among the issues <paramref name="Jql"/> matches, or one per
/// query of <paramref name="JqlList"/> (<paramref name="SplitBy"/> <c>jqlList</c>); packaged as a ZIP or one merged PDF.
/// </summary>
public sealed record CreateBulkExportRequest(
    Guid? ConnectionId,
    string? SplitBy,
    string? Jql,
    IReadOnlyList<string>? JqlList,
    string? Format,
    string? Template,
    string? Title,
    string? Package,
    string? Source = null,
    int? TemplateVersion = null,
    IReadOnlyList<string>? Fields = null,
    ExportOptions? Options = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        BulkExportValidation.Validate(this).AsValidationResults();
}

/// <summary>A bulk export's parts: how many there are, how many finished which way (null until planned).</summary>
public sealed record BulkExportSummary(string SplitBy, string Package, int? Parts, int? Succeeded, int? Failed, int? Cancelled);

/// <summary>One document of a bulk export.</summary>
public sealed record BulkPartResponse(
    Guid Id, int Ordinal, string? Title, string Jql, string Status, int? IssueCount, string? Error, string? FileName, long? SizeBytes, DateTimeOffset? CompletedAt);

public sealed record BulkPartPageResponse(IReadOnlyList<BulkPartResponse> Items, string? NextCursor);
