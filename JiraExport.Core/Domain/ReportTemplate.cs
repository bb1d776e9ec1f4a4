using JiraExport.Core.Reports;

namespace JiraExport.Core.Domain;

/// <summary>
/// A tenant's report template: an editable draft plus the immutable versions published from it. Deleting only hides
/// it, so the exports rendered with its versions can be rendered again.
/// </summary>
public sealed class ReportTemplate : IVersionedResource
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>What it reports on (<see cref="ReportKinds"/>), which decides the data it is given.</summary>
    public required string Kind { get; set; }
    public string? Description { get; set; }
    public required string DraftLiquid { get; set; }
    public required string DraftCss { get; set; }
    public Dictionary<string, TemplateAsset> DraftAssets { get; set; } = [];

    /// <summary>The built-in template the tenant started from, if any.</summary>
    public string? CopiedFrom { get; set; }
    public int? LatestVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <inheritdoc />
    public int Version { get; set; } = 1;
}

/// <summary>A published, never-changing version of a template; exports record the one they were rendered with.</summary>
public sealed class ReportTemplateVersion
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid TemplateId { get; set; }
    public int Version { get; set; }
    public required string Liquid { get; set; }
    public required string Css { get; set; }
    public Dictionary<string, TemplateAsset> Assets { get; set; } = [];
    public string? Note { get; set; }
    public string? PublishedBy { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>A tenant's look for the built-in templates: logo, colours, font, running header and footer text.</summary>
public sealed class TenantBranding : IVersionedResource
{
    public Guid TenantId { get; set; }
    public string? CompanyName { get; set; }
    public string? LogoDataUrl { get; set; }
    public required string PrimaryColor { get; set; }
    public required string AccentColor { get; set; }
    public required string FontFamily { get; set; }
    public string? HeaderText { get; set; }
    public string? FooterText { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <inheritdoc />
    public int Version { get; set; } = 1;
}
