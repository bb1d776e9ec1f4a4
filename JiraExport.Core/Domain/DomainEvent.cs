namespace JiraExport.Core.Domain;

/// <summary>Append-only record of what happened in a tenant; the per-tenant sequence lets clients resume and spot gaps.</summary>
public sealed class DomainEvent
{
    public Guid TenantId { get; set; }
    public long Sequence { get; set; }
    public Guid Id { get; set; }
    public required string Aggregate { get; set; }
    public Guid AggregateId { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}
