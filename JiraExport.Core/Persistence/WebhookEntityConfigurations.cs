using System.Text.Json;
using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JiraExport.Core.Persistence;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.Description).HasMaxLength(200);
        builder.Property(s => s.DisabledReason).HasMaxLength(1000);
        builder.HasIndex(s => s.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.EventType).HasMaxLength(100);
        builder.Property(d => d.Payload).HasColumnType("jsonb");
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastResponse).HasMaxLength(1000);
        // An event is queued once per subscription, however often its transaction's statement is read.
        builder.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique();
        // The delivery log of a subscription, newest first.
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedAt, d.Id });
        // The sender asks across tenants for what is due.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'Pending'");
        // The retention sweep asks across tenants which deliveries are past it.
        builder.HasIndex(d => d.CreatedAt);
        builder.HasIndex(d => d.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantEventRoutingConfiguration : IEntityTypeConfiguration<TenantEventRouting>
{
    public void Configure(EntityTypeBuilder<TenantEventRouting> builder)
    {
        builder.ToTable("tenant_event_routing");
        builder.HasKey(r => r.TenantId);
        builder.Property(r => r.Rules).HasColumnType("jsonb").HasConversion(
            rules => JsonSerializer.Serialize(rules, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<EventRoutingRule>>(json, JsonSerializerOptions.Web) ?? new List<EventRoutingRule>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<EventRoutingRule>>(
                (a, b) => a != null && b != null && a.SequenceEqual(b), rules => rules.Count, rules => rules.ToList()));
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
