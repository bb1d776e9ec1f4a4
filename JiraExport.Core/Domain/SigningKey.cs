namespace JiraExport.Core.Domain;

/// <summary>
/// A platform key that signs access tokens (ES256). The private half is encrypted with Data Protection; the
/// public half is published in the JWKS from creation until retirement, so verifiers learn it before it signs.
/// </summary>
public sealed class SigningKey
{
    /// <summary>The <c>kid</c> of the tokens it signs.</summary>
    public required string Id { get; set; }
    public required string Algorithm { get; set; }
    public required string PublicJwk { get; set; }
    public required string ProtectedPrivateKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>From here on it signs (until a newer key activates).</summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>From here on it is no longer published, so tokens it signed stop validating.</summary>
    public DateTimeOffset RetiresAt { get; set; }
}
