using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class ReportScheduleConfiguration : IEntityTypeConfiguration<ReportSchedule>
{
    public void Configure(EntityTypeBuilder<ReportSchedule> builder)
    {
        builder.ToTable("report_schedules");
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Template).HasMaxLength(100);
        builder.Property(s => s.Jql).HasMaxLength(4000);
        builder.Property(s => s.Title).HasMaxLength(300);
        builder.Property(s => s.Cron).HasMaxLength(200);
        builder.Property(s => s.TimeZone).HasMaxLength(100);
        builder.Property(s => s.CreatedBy).HasMaxLength(400);
        // The scheduler asks for what is due, soonest first.
        builder.HasIndex(s => s.NextRunAt);
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReportScheduleRunConfiguration : IEntityTypeConfiguration<ReportScheduleRun>
{
    public void Configure(EntityTypeBuilder<ReportScheduleRun> builder)
    {
        builder.ToTable("report_schedule_runs");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Error).HasMaxLength(2000);
        // One run per occurrence, whichever Worker gets there: the second insert fails instead of a second report.
        builder.HasIndex(r => new { r.ScheduleId, r.DueAt }).IsUnique();
        builder.HasIndex(r => r.ExportId).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ReportSchedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Export>().WithMany().HasForeignKey(r => r.ExportId).OnDelete(DeleteBehavior.Cascade);
    }
}
