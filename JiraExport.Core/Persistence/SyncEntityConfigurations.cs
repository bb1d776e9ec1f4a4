using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class SyncedIssueConfiguration : IEntityTypeConfiguration<SyncedIssue>
{
    public void Configure(EntityTypeBuilder<SyncedIssue> builder)
    {
        builder.ToTable("jira_issues");
        builder.HasKey(i => new { i.TenantId, i.ConnectionId, i.IssueId });
        builder.Property(i => i.Key).HasMaxLength(100);
        builder.Property(i => i.ProjectKey).HasMaxLength(100);
        builder.Property(i => i.IssueType).HasMaxLength(200);
        builder.Property(i => i.StatusId).HasMaxLength(50);
        builder.Property(i => i.StatusName).HasMaxLength(200);
        builder.Property(i => i.StatusCategory).HasMaxLength(50);
        builder.Property(i => i.Priority).HasMaxLength(200);
        builder.Property(i => i.AssigneeAccountId).HasMaxLength(200);
        builder.Property(i => i.AssigneeName).HasMaxLength(300);
        builder.Property(i => i.Fields).HasColumnType("jsonb");
        builder.Property(i => i.Changelog).HasColumnType("jsonb");
        // GET /issues/{key}; the issues list filtered by project and ordered by (updated, id) for its cursor.
        builder.HasIndex(i => new { i.TenantId, i.ConnectionId, i.Key });
        builder.HasIndex(i => new { i.TenantId, i.ConnectionId, i.ProjectKey, i.Updated, i.IssueId });
        builder.HasIndex(i => new { i.TenantId, i.ConnectionId, i.Updated, i.IssueId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(i => i.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssueStatusTransitionConfiguration : IEntityTypeConfiguration<IssueStatusTransition>
{
    public void Configure(EntityTypeBuilder<IssueStatusTransition> builder)
    {
        builder.ToTable("jira_status_transitions");
        builder.HasKey(t => new { t.TenantId, t.ConnectionId, t.IssueId, t.HistoryId });
        builder.Property(t => t.HistoryId).HasMaxLength(50);
        builder.Property(t => t.FromStatusId).HasMaxLength(50);
        builder.Property(t => t.FromStatus).HasMaxLength(200);
        builder.Property(t => t.ToStatusId).HasMaxLength(50);
        builder.Property(t => t.ToStatus).HasMaxLength(200);
        builder.Property(t => t.AuthorAccountId).HasMaxLength(200);
        builder.Property(t => t.AuthorName).HasMaxLength(300);
        // Cycle-time analytics read a connection's transitions in a time window.
        builder.HasIndex(t => new { t.TenantId, t.ConnectionId, t.At });
        builder.HasOne<SyncedIssue>().WithMany()
            .HasForeignKey(t => new { t.TenantId, t.ConnectionId, t.IssueId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncJobConfiguration : IEntityTypeConfiguration<SyncJob>
{
    public void Configure(EntityTypeBuilder<SyncJob> builder)
    {
        builder.ToTable("sync_jobs");
        builder.Property(j => j.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.ScopeJql).HasMaxLength(4000);
        builder.Property(j => j.Cursor).HasMaxLength(4000);
        builder.Property(j => j.Error).HasMaxLength(2000);
        builder.Property(j => j.LeaseOwner).HasMaxLength(200);
        // One run at a time per connection: a second request while one is queued or running gets that one back.
        builder.HasIndex(j => j.ConnectionId).IsUnique().HasFilter("status IN ('Queued', 'Running')")
            .HasDatabaseName("ix_sync_jobs_one_active_per_connection");
        // Run history of a connection, newest first.
        builder.HasIndex(j => new { j.TenantId, j.ConnectionId, j.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(j => j.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(j => j.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncScheduleConfiguration : IEntityTypeConfiguration<SyncSchedule>
{
    public void Configure(EntityTypeBuilder<SyncSchedule> builder)
    {
        builder.ToTable("sync_schedules");
        builder.HasKey(s => s.ConnectionId);
        builder.Property(s => s.Cron).HasMaxLength(200);
        builder.Property(s => s.ReconcileCron).HasMaxLength(200);
        builder.Property(s => s.TimeZone).HasMaxLength(100);
        builder.Property(s => s.ScopeJql).HasMaxLength(4000);
        // The scheduler asks for what is due, soonest first.
        builder.HasIndex(s => s.NextRunAt);
        builder.HasIndex(s => s.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithOne().HasForeignKey<SyncSchedule>(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
