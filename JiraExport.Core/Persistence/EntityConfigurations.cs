using System.Text.Json;
using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenants");
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Slug).HasMaxLength(63);
        builder.Property(t => t.SessionLimitAction).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.BrandColor).HasMaxLength(7);
        builder.Property(t => t.DefaultTemplate).HasMaxLength(100);
        builder.Property(t => t.PlanName).HasMaxLength(50).HasDefaultValue("standard");
        builder.Property(t => t.MaxConnections).HasDefaultValue(10);
        builder.Property(t => t.MaxExportsPerDay).HasDefaultValue(500);
        builder.Property(t => t.MaxStoredMegabytes).HasDefaultValue(2048);
        builder.Property(t => t.MaxApiRequestsPerMinute).HasDefaultValue(1200);
        builder.Property(t => t.ExportRetentionDays).HasDefaultValue(Tenant.DefaultExportRetentionDays);
        builder.HasIndex(t => t.Slug).IsUnique();
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.Scopes).HasMaxLength(500);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.HasIndex(k => k.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JiraConnectionConfiguration : IEntityTypeConfiguration<JiraConnection>
{
    public void Configure(EntityTypeBuilder<JiraConnection> builder)
    {
        builder.ToTable("jira_connections");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.BaseUrl).HasMaxLength(2048);
        builder.Property(c => c.Deployment).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.AuthType).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.DynamicWebhookError).HasMaxLength(500);
        builder.Property(c => c.Health).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.HealthReport).HasColumnType("jsonb");
        builder.HasIndex(c => c.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExportConfiguration : IEntityTypeConfiguration<Export>
{
    public void Configure(EntityTypeBuilder<Export> builder)
    {
        builder.ToTable("exports");
        builder.Property(e => e.Message).HasMaxLength(1000);
        builder.Property(e => e.Format).HasMaxLength(16);
        builder.Property(e => e.Template).HasMaxLength(100);
        builder.Property(e => e.Title).HasMaxLength(300);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.FileName).HasMaxLength(300);
        builder.Property(e => e.RequestedBy).HasMaxLength(400);
        builder.Property(e => e.Source).HasMaxLength(16).HasDefaultValue(ExportSources.Live);
        builder.Property(e => e.Options).HasColumnType("jsonb").HasConversion(
            options => JsonSerializer.Serialize(options, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<ExportOptions>(json, JsonSerializerOptions.Web));
        builder.Property(e => e.Bulk).HasColumnType("jsonb").HasConversion(
            spec => JsonSerializer.Serialize(spec, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<BulkSpec>(json, JsonSerializerOptions.Web));
        builder.Property(e => e.BulkPlan).HasColumnType("jsonb").HasConversion(
            plan => JsonSerializer.Serialize(plan, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<BulkPart>>(json, JsonSerializerOptions.Web),
            new ValueComparer<List<BulkPart>?>(
                (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                plan => plan == null ? 0 : plan.Count,
                plan => plan == null ? null : plan.ToList()));
        // Newest-first listing with a (created_at, id) cursor.
        builder.HasIndex(e => new { e.TenantId, e.CreatedAt, e.Id });
        // The retention sweep looks across tenants for files past their time.
        builder.HasIndex(e => e.ExpiresAt).HasFilter("status = 'Succeeded'");
        // A bulk export's parts: one row per position, so planning again after a crash cannot create a part twice.
        builder.HasIndex(e => new { e.ParentExportId, e.Ordinal }).IsUnique().HasFilter("parent_export_id IS NOT NULL");
        builder.HasOne<Export>().WithMany().HasForeignKey(e => e.ParentExportId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        // An export keeps its history when its connection is deleted.
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(e => e.ConnectionId).OnDelete(DeleteBehavior.SetNull);
        // Template versions are never deleted (a template is only hidden), so an old report can be rendered again.
        builder.HasOne<ReportTemplate>().WithMany().HasForeignKey(e => e.TemplateId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<ReportTemplateVersion>().WithMany().HasForeignKey(e => e.TemplateVersionId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class ExportFileConfiguration : IEntityTypeConfiguration<ExportFile>
{
    public void Configure(EntityTypeBuilder<ExportFile> builder)
    {
        builder.ToTable("export_files");
        builder.HasKey(f => f.ExportId);
        builder.Property(f => f.FileName).HasMaxLength(300);
        builder.Property(f => f.ContentType).HasMaxLength(100);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.HasIndex(f => f.TenantId);
        builder.HasOne<Export>().WithOne().HasForeignKey<ExportFile>(f => f.ExportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExportFileChunkConfiguration : IEntityTypeConfiguration<ExportFileChunk>
{
    public void Configure(EntityTypeBuilder<ExportFileChunk> builder)
    {
        builder.ToTable("export_file_chunks");
        builder.HasKey(c => new { c.ExportId, c.ChunkIndex });
        builder.HasOne<ExportFile>().WithMany().HasForeignKey(c => c.ExportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomainEventConfiguration : IEntityTypeConfiguration<DomainEvent>
{
    public void Configure(EntityTypeBuilder<DomainEvent> builder)
    {
        // Partitioned by month on occurred_at (MonthlyPartitions), which PostgreSQL wants in every unique key. The sequence
        // is unique per tenant by construction: DomainEventWriter takes it from the tenant's row, under its lock.
        builder.ToTable("domain_events");
        builder.HasKey(e => new { e.TenantId, e.Sequence, e.OccurredAt });
        builder.Property(e => e.Aggregate).HasMaxLength(50);
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.Property(e => e.Payload).HasColumnType("jsonb");
        builder.HasIndex(e => new { e.Id, e.OccurredAt }).IsUnique();
        // The retention sweep asks across tenants which logs hold events past it.
        builder.HasIndex(e => e.OccurredAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.Property(m => m.Exchange).HasMaxLength(200);
        builder.Property(m => m.RoutingKey).HasMaxLength(300);
        builder.Property(m => m.Type).HasMaxLength(200);
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.Property(m => m.TraceParent).HasMaxLength(100);
        // The relay reads only unsent rows, oldest first.
        builder.HasIndex(m => m.CreatedAt).HasFilter("sent_at IS NULL");
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("inbox_messages");
        builder.HasKey(m => new { m.MessageId, m.Consumer });
        builder.Property(m => m.Consumer).HasMaxLength(100);
    }
}

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public void Configure(EntityTypeBuilder<IdempotentRequest> builder)
    {
        builder.ToTable("idempotent_requests");
        builder.HasKey(r => new { r.TenantId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.Location).HasMaxLength(2048);
        // Each claim deletes its tenant's expired keys.
        builder.HasIndex(r => new { r.TenantId, r.ExpiresAt });
    }
}

internal sealed class TenantFeatureOverrideConfiguration : IEntityTypeConfiguration<TenantFeatureOverride>
{
    public void Configure(EntityTypeBuilder<TenantFeatureOverride> builder)
    {
        builder.ToTable("tenant_feature_overrides");
        builder.HasKey(o => new { o.TenantId, o.Feature });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(o => o.Feature).HasMaxLength(100);
        builder.Property(o => o.Variant).HasMaxLength(100);
    }
}

internal sealed class FeatureAssignmentConfiguration : IEntityTypeConfiguration<FeatureAssignment>
{
    public void Configure(EntityTypeBuilder<FeatureAssignment> builder)
    {
        builder.ToTable("feature_assignments");
        builder.HasKey(a => new { a.TenantId, a.Feature, a.Subject });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Subject).HasMaxLength(100);
        builder.Property(a => a.Feature).HasMaxLength(100);
        builder.Property(a => a.Variant).HasMaxLength(100);
    }
}
