namespace JiraExport.Core.Domain;

/// <summary>
/// How a tenant's people sign in through the tenant's own identity provider: OpenID Connect, SAML 2.0, or both.
/// One row per tenant; a protocol whose fields are null is off.
/// </summary>
public sealed class TenantSsoSettings
{
    public Guid TenantId { get; set; }

    /// <summary>The OpenID provider's issuer; its discovery document is at <c>/.well-known/openid-configuration</c> below it.</summary>
    public string? OidcAuthority { get; set; }
    public string? OidcClientId { get; set; }

    /// <summary>The client secret, encrypted with Data Protection; never returned by the API.</summary>
    public string? OidcClientSecretProtected { get; set; }

    /// <summary>The SAML identity provider's entity id: the only issuer of assertions accepted.</summary>
    public string? SamlIdpEntityId { get; set; }

    /// <summary>Where SP-initiated sign-in sends the browser (HTTP-Redirect binding).</summary>
    public string? SamlSsoUrl { get; set; }

    /// <summary>The identity provider's signing certificate (DER); assertions must carry a signature by its key.</summary>
    public byte[]? SamlSigningCertificate { get; set; }

    /// <summary>When no member matches, a person the provider vouches for becomes one with <see cref="ProvisionedRole"/>.</summary>
    public bool ProvisionUsers { get; set; }
    public TenantRole ProvisionedRole { get; set; } = TenantRole.Member;

    /// <summary>Addresses of the tenant's apps that may receive a sign-in's one-time code; exact matches only.</summary>
    public List<string> ReturnUrls { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }

    public bool OidcEnabled => OidcAuthority is not null && OidcClientId is not null;
    public bool SamlEnabled => SamlIdpEntityId is not null && SamlSsoUrl is not null && SamlSigningCertificate is not null;
}
