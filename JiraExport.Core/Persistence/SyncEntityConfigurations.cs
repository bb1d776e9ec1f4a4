using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class JiraIssueTombstoneConfiguration : IEntityTypeConfiguration<JiraIssueTombstone>
{
    public void Configure(EntityTypeBuilder<JiraIssueTombstone> builder)
    {
        builder.ToTable("jira_issue_tombstones");
        builder.HasKey(t => new { t.TenantId, t.ConnectionId, t.IssueId });
        builder.HasIndex(t => new { t.TenantId, t.DeletedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

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
        // The live dashboard counts a tenant's issues by status category every few seconds: an index-only scan.
        builder.HasIndex(i => new { i.TenantId, i.StatusCategory, i.SyncedAt });
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

internal sealed class IssueCommentConfiguration : IEntityTypeConfiguration<IssueComment>
{
    public void Configure(EntityTypeBuilder<IssueComment> builder)
    {
        builder.ToTable("jira_comments");
        builder.HasKey(c => new { c.TenantId, c.ConnectionId, c.IssueId, c.CommentId });
        builder.Property(c => c.CommentId).HasMaxLength(50);
        builder.Property(c => c.AuthorAccountId).HasMaxLength(200);
        builder.Property(c => c.AuthorName).HasMaxLength(300);
        builder.HasOne<SyncedIssue>().WithMany().HasForeignKey(c => new { c.TenantId, c.ConnectionId, c.IssueId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssueWorklogConfiguration : IEntityTypeConfiguration<IssueWorklog>
{
    public void Configure(EntityTypeBuilder<IssueWorklog> builder)
    {
        builder.ToTable("jira_worklogs");
        builder.HasKey(w => new { w.TenantId, w.ConnectionId, w.IssueId, w.WorklogId });
        builder.Property(w => w.WorklogId).HasMaxLength(50);
        builder.Property(w => w.AuthorAccountId).HasMaxLength(200);
        builder.Property(w => w.AuthorName).HasMaxLength(300);
        // Time reports sum a connection's worklogs over a period.
        builder.HasIndex(w => new { w.TenantId, w.ConnectionId, w.Started });
        builder.HasOne<SyncedIssue>().WithMany().HasForeignKey(w => new { w.TenantId, w.ConnectionId, w.IssueId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncedSprintConfiguration : IEntityTypeConfiguration<SyncedSprint>
{
    public void Configure(EntityTypeBuilder<SyncedSprint> builder)
    {
        builder.ToTable("jira_sprints");
        builder.HasKey(s => new { s.TenantId, s.ConnectionId, s.SprintId });
        builder.Property(s => s.Name).HasMaxLength(300);
        builder.Property(s => s.State).HasMaxLength(16);
        builder.Property(s => s.Goal).HasMaxLength(2000);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SprintIssueConfiguration : IEntityTypeConfiguration<SprintIssue>
{
    public void Configure(EntityTypeBuilder<SprintIssue> builder)
    {
        builder.ToTable("jira_sprint_issues");
        builder.HasKey(s => new { s.TenantId, s.ConnectionId, s.SprintId, s.IssueId });
        // A sprint report reads its issues; an issue's page reads its sprints.
        builder.HasIndex(s => new { s.TenantId, s.ConnectionId, s.IssueId });
        builder.HasOne<SyncedIssue>().WithMany().HasForeignKey(s => new { s.TenantId, s.ConnectionId, s.IssueId }).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SyncedSprint>().WithMany().HasForeignKey(s => new { s.TenantId, s.ConnectionId, s.SprintId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssueLinkConfiguration : IEntityTypeConfiguration<IssueLink>
{
    public void Configure(EntityTypeBuilder<IssueLink> builder)
    {
        builder.ToTable("jira_issue_links");
        builder.HasKey(l => new { l.TenantId, l.ConnectionId, l.IssueId, l.LinkId });
        builder.Property(l => l.LinkId).HasMaxLength(50);
        builder.Property(l => l.LinkType).HasMaxLength(200);
        builder.Property(l => l.Relation).HasMaxLength(200);
        builder.Property(l => l.OtherKey).HasMaxLength(100);
        builder.HasOne<SyncedIssue>().WithMany().HasForeignKey(l => new { l.TenantId, l.ConnectionId, l.IssueId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JiraWebhookDeliveryConfiguration : IEntityTypeConfiguration<JiraWebhookDelivery>
{
    public void Configure(EntityTypeBuilder<JiraWebhookDelivery> builder)
    {
        builder.ToTable("jira_webhook_deliveries");
        builder.Property(d => d.Identifier).HasMaxLength(200);
        builder.Property(d => d.Event).HasMaxLength(100);
        builder.Property(d => d.Outcome).HasMaxLength(100);
        // A retried delivery keeps its identifier: the second insert of it does nothing.
        builder.HasIndex(d => new { d.ConnectionId, d.Identifier }).IsUnique();
        builder.HasIndex(d => new { d.ConnectionId, d.BodySha256 }).IsUnique();
        builder.HasIndex(d => d.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(d => d.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
