namespace JiraExport.Core.Domain;

/// <summary>A tenant's machine credential. Only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key, shown to people so they can tell keys apart.</summary>
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Space-separated scopes; null for a tenant's first key, which acts with every scope.</summary>
    public string? Scopes { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Kept to the minute: the lookup updates it at most once a minute per key.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
    public Guid? CreatedByUserId { get; set; }
}
