namespace JiraExport.Core.Domain;

/// <summary>
/// A tenant's PDF finishing settings: the watermark its policy stamps on every PDF, and the certificate exports are
/// signed with. One row per tenant; a field that is null is not set.
/// </summary>
public sealed class TenantPdfSettings
{
    public Guid TenantId { get; set; }

    /// <summary>Stamped on every PDF export of the tenant, whatever the request asks; stored as jsonb.</summary>
    public WatermarkOptions? WatermarkPolicy { get; set; }

    /// <summary>The PKCS#12 file with its private key, re-keyed with a generated password, both encrypted with Data Protection.</summary>
    public string? SigningCertificateProtected { get; set; }

    public string? SigningCertificateSubject { get; set; }
    public string? SigningCertificateIssuer { get; set; }

    /// <summary>SHA-256 of the certificate (hex).</summary>
    public string? SigningCertificateThumbprint { get; set; }
    public DateTimeOffset? SigningCertificateNotBefore { get; set; }
    public DateTimeOffset? SigningCertificateNotAfter { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool HasSigningCertificate => SigningCertificateProtected is not null;
}
