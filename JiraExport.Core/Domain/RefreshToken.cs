namespace JiraExport.Core.Domain;

/// <summary>An opaque refresh token of a session, stored as its SHA-256. Used once: a second use means it was stolen.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid SessionId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was exchanged for its successor; a token presented after this is a reuse.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
