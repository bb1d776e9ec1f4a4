namespace JiraExport.Core.Domain;

/// <summary>
/// One line of a tenant's audit trail: who did what through the Api (an administrative change, or a read of the tenant's
/// data that is audited), and how it ended. Rows are only ever added (the application's role cannot change or delete
/// them), and each carries the hash of the one before it, so a changed or deleted row breaks the chain
/// (<see cref="Audit.AuditChain"/>).
/// </summary>
public sealed class AuditEntry
{
    public Guid TenantId { get; set; }

    /// <summary>1, 2, 3… per tenant, without gaps.</summary>
    public long Sequence { get; set; }
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary><see cref="PrincipalKinds"/>, and the user's or API key's id.</summary>
    public required string ActorKind { get; set; }
    public Guid ActorId { get; set; }

    /// <summary>The endpoint's name in the API reference (<c>UpdateTenant</c>).</summary>
    public required string Action { get; set; }
    public required string Method { get; set; }

    /// <summary>The request's path (ids included, no query string).</summary>
    public required string Target { get; set; }
    public int Status { get; set; }
    public string? IpAddress { get; set; }

    /// <summary>The hash of the entry before (32 zero bytes for the first).</summary>
    public required byte[] PreviousHash { get; set; }

    /// <summary>HMAC-SHA-256, with the tenant's chain key, of <see cref="PreviousHash"/> and this entry's fields.</summary>
    public required byte[] Hash { get; set; }
}

/// <summary>
/// Where a tenant's audit chain ends (its last sequence and hash, so a deleted last entry is noticed too), and the key its
/// hashes are made with, encrypted for the tenant by Data Protection: someone with the database alone cannot make an
/// entry that verifies.
/// </summary>
public sealed class AuditChainHead
{
    public Guid TenantId { get; set; }
    public long Sequence { get; set; }
    public required byte[] Hash { get; set; }
    public required string KeyProtected { get; set; }
}
