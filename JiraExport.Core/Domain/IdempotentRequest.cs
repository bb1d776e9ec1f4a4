namespace JiraExport.Core.Domain;

/// <summary>
/// A create request sent with an <c>Idempotency-Key</c>: claimed while it runs (<see cref="StatusCode"/> null), then
/// holding its answer so a retry with the same key and body gets that answer instead of a second resource. Kept 24 h.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>The tenant the key belongs to; <see cref="Guid.Empty"/> for the platform admin's requests.</summary>
    public Guid TenantId { get; set; }

    public string Key { get; set; } = "";

    /// <summary>SHA-256 of the caller, method, path and body, protected for the tenant: the same key with another request is refused.</summary>
    public string Fingerprint { get; set; } = "";

    public int? StatusCode { get; set; }
    public string? Location { get; set; }

    /// <summary>The answer's JSON, protected for the tenant: a created API key's secret is in some.</summary>
    public string? ProtectedResponse { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
