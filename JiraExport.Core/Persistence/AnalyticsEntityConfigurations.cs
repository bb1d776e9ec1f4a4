using System.Text.Json;
using JiraExport.Core.Analytics;
using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class SyncedStatusConfiguration : IEntityTypeConfiguration<SyncedStatus>
{
    public void Configure(EntityTypeBuilder<SyncedStatus> builder)
    {
        builder.ToTable("jira_statuses");
        builder.HasKey(s => new { s.TenantId, s.ConnectionId, s.StatusId });
        builder.Property(s => s.StatusId).HasMaxLength(50);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Category).HasMaxLength(50);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<JiraConnection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MetricDefinitionConfiguration : IEntityTypeConfiguration<MetricDefinition>
{
    public void Configure(EntityTypeBuilder<MetricDefinition> builder)
    {
        builder.ToTable("metric_definitions");
        builder.Property(d => d.Name).HasMaxLength(64);
        builder.Property(d => d.Description).HasMaxLength(500);
        // A name is taken while its definition lives; a deleted one frees it.
        builder.HasIndex(d => new { d.TenantId, d.Name }).IsUnique().HasFilter("deleted_at IS NULL");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MetricDefinitionVersionConfiguration : IEntityTypeConfiguration<MetricDefinitionVersion>
{
    public void Configure(EntityTypeBuilder<MetricDefinitionVersion> builder)
    {
        builder.ToTable("metric_definition_versions");
        builder.HasKey(v => new { v.DefinitionId, v.Version });
        builder.Property(v => v.Note).HasMaxLength(500);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.Property(v => v.Rules).HasColumnType("jsonb").HasConversion(
            rules => JsonSerializer.Serialize(rules, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<FlowDefinition>(json, JsonSerializerOptions.Web)!);
        builder.HasOne<MetricDefinition>().WithMany().HasForeignKey(v => v.DefinitionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantWorkCalendarConfiguration : IEntityTypeConfiguration<TenantWorkCalendar>
{
    public void Configure(EntityTypeBuilder<TenantWorkCalendar> builder)
    {
        builder.ToTable("tenant_work_calendars");
        builder.HasKey(c => c.TenantId);
        builder.Property(c => c.TimeZone).HasMaxLength(100);
        builder.Property(c => c.Weekend).HasColumnType("jsonb").HasConversion(
            days => JsonSerializer.Serialize(days, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<DayOfWeek>>(json, JsonSerializerOptions.Web)!,
            new ValueComparer<List<DayOfWeek>>((a, b) => a!.SequenceEqual(b!), days => days.Count, days => days.ToList()));
        builder.Property(c => c.Holidays).HasColumnType("jsonb").HasConversion(
            dates => JsonSerializer.Serialize(dates, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<DateOnly>>(json, JsonSerializerOptions.Web)!,
            new ValueComparer<List<DateOnly>>((a, b) => a!.SequenceEqual(b!), dates => dates.Count, dates => dates.ToList()));
        builder.HasOne<Tenant>().WithOne().HasForeignKey<TenantWorkCalendar>(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DashboardConfiguration : IEntityTypeConfiguration<Dashboard>
{
    public void Configure(EntityTypeBuilder<Dashboard> builder)
    {
        builder.ToTable("dashboards");
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.Property(d => d.CreatedBy).HasMaxLength(400);
        builder.Property(d => d.Widgets).HasColumnType("jsonb").HasConversion(
            widgets => JsonSerializer.Serialize(widgets, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<DashboardWidget>>(json, JsonSerializerOptions.Web)!,
            new ValueComparer<List<DashboardWidget>>((a, b) => a!.SequenceEqual(b!), widgets => widgets.Count, widgets => widgets.ToList()));
        builder.HasIndex(d => new { d.TenantId, d.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
