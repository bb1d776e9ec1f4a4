namespace JiraExport.Core.Domain;

/// <summary>
/// One sign-in of a user to a tenant: the family of its refresh tokens. Revoking it ends every token of the
/// family, and its access tokens are refused before they expire.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}
