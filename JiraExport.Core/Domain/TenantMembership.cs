namespace JiraExport.Core.Domain;

/// <summary>A user's place in a tenant; the role decides the scopes of the user's tokens there.</summary>
public sealed class TenantMembership
{
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public TenantRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum TenantRole
{
    Viewer,
    Member,
    Admin,
    Owner,
}
