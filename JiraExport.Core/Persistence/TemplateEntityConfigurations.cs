using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class ReportTemplateConfiguration : IEntityTypeConfiguration<ReportTemplate>
{
    public void Configure(EntityTypeBuilder<ReportTemplate> builder)
    {
        builder.ToTable("report_templates");
        builder.Property(t => t.Name).HasMaxLength(64);
        builder.Property(t => t.Kind).HasMaxLength(32);
        builder.Property(t => t.Description).HasMaxLength(500);
        builder.Property(t => t.CopiedFrom).HasMaxLength(64);
        builder.Property(t => t.DraftAssets).HasColumnType("jsonb").HasConversion(AssetsJson.Converter, AssetsJson.Comparer);
        // A name is taken while its template lives; a deleted one frees it.
        builder.HasIndex(t => new { t.TenantId, t.Name }).IsUnique().HasFilter("deleted_at IS NULL");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReportTemplateVersionConfiguration : IEntityTypeConfiguration<ReportTemplateVersion>
{
    public void Configure(EntityTypeBuilder<ReportTemplateVersion> builder)
    {
        builder.ToTable("report_template_versions");
        builder.Property(v => v.Note).HasMaxLength(500);
        builder.Property(v => v.PublishedBy).HasMaxLength(256);
        builder.Property(v => v.Assets).HasColumnType("jsonb").HasConversion(AssetsJson.Converter, AssetsJson.Comparer);
        builder.HasIndex(v => new { v.TemplateId, v.Version }).IsUnique();
        builder.HasOne<ReportTemplate>().WithMany().HasForeignKey(v => v.TemplateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantBrandingConfiguration : IEntityTypeConfiguration<TenantBranding>
{
    public void Configure(EntityTypeBuilder<TenantBranding> builder)
    {
        builder.ToTable("tenant_branding");
        builder.HasKey(b => b.TenantId);
        builder.Property(b => b.CompanyName).HasMaxLength(200);
        builder.Property(b => b.PrimaryColor).HasMaxLength(7);
        builder.Property(b => b.AccentColor).HasMaxLength(7);
        builder.Property(b => b.FontFamily).HasMaxLength(64);
        builder.Property(b => b.HeaderText).HasMaxLength(200);
        builder.Property(b => b.FooterText).HasMaxLength(200);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<TenantBranding>(b => b.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Template assets as one jsonb object: name → {contentType, base64}.</summary>
internal static class AssetsJson
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<Dictionary<string, TemplateAsset>, string> Converter = new(
        assets => JsonSerializer.Serialize(assets, JsonSerializerOptions.Web),
        json => JsonSerializer.Deserialize<Dictionary<string, TemplateAsset>>(json, JsonSerializerOptions.Web) ?? new Dictionary<string, TemplateAsset>());

    public static readonly ValueComparer<Dictionary<string, TemplateAsset>> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
        a => JsonSerializer.Serialize(a, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
        a => JsonSerializer.Deserialize<Dictionary<string, TemplateAsset>>(JsonSerializer.Serialize(a, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!);
}
