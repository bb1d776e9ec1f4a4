using System.Text.Json;
using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class TenantPdfSettingsConfiguration : IEntityTypeConfiguration<TenantPdfSettings>
{
    public void Configure(EntityTypeBuilder<TenantPdfSettings> builder)
    {
        builder.ToTable("tenant_pdf_settings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.WatermarkPolicy).HasColumnType("jsonb").HasConversion(
            watermark => JsonSerializer.Serialize(watermark, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<WatermarkOptions>(json, JsonSerializerOptions.Web));
        builder.Property(s => s.SigningCertificateSubject).HasMaxLength(1000);
        builder.Property(s => s.SigningCertificateIssuer).HasMaxLength(1000);
        builder.Property(s => s.SigningCertificateThumbprint).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
