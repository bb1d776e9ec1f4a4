namespace JiraExport.Api.Sso;

/// <summary>Single sign-on settings of the deployment, bound from the "Sso" section; tenants configure their providers.</summary>
public sealed class SsoOptions
{
    public const string SectionName = "Sso";

    /// <summary>
    /// The Api's address as browsers and identity providers see it (behind a proxy it differs from the request's);
    /// the SAML entity id, the assertion consumer URL and the OIDC redirect URI are built on it. Unset: the request's.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Providers must be reached over HTTPS; only local runs against a test provider turn this off.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Tenants name the provider's URL, so private and loopback addresses are refused unless this is set.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long a started sign-in may take at the provider before its state is forgotten.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
