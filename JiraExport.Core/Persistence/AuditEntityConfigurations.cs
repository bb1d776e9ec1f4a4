using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        // Partitioned by month on occurred_at (MonthlyPartitions), which PostgreSQL wants in every unique key. The sequence
        // is unique per tenant by construction: append_audit_entry adds only the one after the chain's locked head.
        builder.ToTable("audit_log");
        builder.HasKey(e => new { e.TenantId, e.Sequence, e.OccurredAt });
        builder.Property(e => e.ActorKind).HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(200);
        builder.Property(e => e.Method).HasMaxLength(16);
        builder.Property(e => e.Target).HasMaxLength(1000);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable("audit_chain_heads");
        builder.HasKey(h => h.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(h => h.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
