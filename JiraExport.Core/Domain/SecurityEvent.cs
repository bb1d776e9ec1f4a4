namespace JiraExport.Core.Domain;

/// <summary>Something a tenant's security officer wants to see afterwards: sign-ins, token reuse, revocations.</summary>
public sealed class SecurityEvent
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string Type { get; set; }
    public Guid? UserId { get; set; }
    public Guid? SessionId { get; set; }
    public string? IpAddress { get; set; }
    public string? Detail { get; set; }
}
