using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
using JiraExport.Core.Reports;

namespace JiraExport.Api.Contracts;

/// <summary>
/// A new template: either <paramref name="CopyFrom"/> a built-in one (its kind, Liquid and CSS), or
/// <paramref name="Kind"/> with <paramref name="Liquid"/> and optionally <paramref name="Css"/> and <paramref name="Assets"/>.
/// </summary>
public sealed record CreateTemplateRequest(
    string? Name,
    string? Kind = null,
    string? Description = null,
    string? Liquid = null,
    string? Css = null,
    Dictionary<string, TemplateAsset>? Assets = null,
    string? CopyFrom = null);

/// <summary>Changes the draft; only the fields sent change. Published versions never change.</summary>
public sealed record UpdateTemplateRequest(string? Description = null, string? Liquid = null, string? Css = null, Dictionary<string, TemplateAsset>? Assets = null);

public sealed record PublishTemplateRequest(string? Note = null);

public sealed record RollbackTemplateRequest(int? Version);

/// <summary>
/// Renders the draft (or <paramref name="Version"/>) to <c>html</c> or <c>pdf</c>: against sample data, or against the
/// issues <paramref name="Jql"/> matches on <paramref name="ConnectionId"/> (the first 50).
/// </summary>
public sealed record PreviewTemplateRequest(string? Format = null, Guid? ConnectionId = null, string? Jql = null, int? Version = null, string? Title = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TemplatePreview.Validate(this).AsValidationResults();
}

public sealed record TemplateSummaryResponse(
    Guid? Id, string Name, string Kind, string? Description, bool BuiltIn, int? LatestVersion, DateTimeOffset? UpdatedAt);

public sealed record TemplateListResponse(IReadOnlyList<TemplateSummaryResponse> Items);

/// <summary>
/// A template's draft. <paramref name="UnknownVariables"/>: what the draft reads that the report model lacks;
/// <paramref name="SampleRenderError"/>: why it could not render the sample report (a limit, a missing include).
/// </summary>
public sealed record TemplateResponse(
    Guid Id,
    string Name,
    string Kind,
    string? Description,
    string? CopiedFrom,
    int? LatestVersion,
    string Liquid,
    string Css,
    IReadOnlyDictionary<string, TemplateAsset> Assets,
    IReadOnlyList<string> UnknownVariables,
    string? SampleRenderError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record TemplateVersionResponse(int Version, string? Note, string? PublishedBy, DateTimeOffset PublishedAt);

public sealed record TemplateVersionListResponse(IReadOnlyList<TemplateVersionResponse> Items);

public sealed record TemplateVersionContentResponse(
    int Version, string? Note, string? PublishedBy, DateTimeOffset PublishedAt, string Liquid, string Css, IReadOnlyDictionary<string, TemplateAsset> Assets);

/// <summary>The tenant's branding; colours <c>#rrggbb</c>, the logo a PNG or JPEG <c>data:</c> URL.</summary>
public sealed record BrandingRequest(
    string? CompanyName = null,
    string? LogoDataUrl = null,
    string? PrimaryColor = null,
    string? AccentColor = null,
    string? FontFamily = null,
    string? HeaderText = null,
    string? FooterText = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TenantBrandingApi.Validate(this).AsValidationResults();
}

public sealed record BrandingResponse(
    string? CompanyName, string? LogoDataUrl, string PrimaryColor, string AccentColor, string FontFamily, string? HeaderText, string? FooterText,
    IReadOnlyList<string> AvailableFonts);
