using Microsoft.Extensions.Options;

namespace JiraExport.Api.Sso;

/// <summary>The addresses identity providers know this Api by, per tenant: built on the public base URL when one is set.</summary>
public sealed class SsoUrls(IOptions<SsoOptions> options)
{
    public Uri OidcLogin(HttpContext http, string tenantSlug) => Build(http, tenantSlug, "oidc/{0}/login");
    public Uri OidcRedirectUri(HttpContext http, string tenantSlug) => Build(http, tenantSlug, "oidc/{0}/callback");
    public Uri SamlLogin(HttpContext http, string tenantSlug) => Build(http, tenantSlug, "saml/{0}/login");
    public Uri SamlAcs(HttpContext http, string tenantSlug) => Build(http, tenantSlug, "saml/{0}/acs");

    /// <summary>The service provider's entity id is the address of its metadata, as is common practice.</summary>
    public string SamlEntityId(HttpContext http, string tenantSlug) => Build(http, tenantSlug, "saml/{0}/metadata").ToString();

    private Uri Build(HttpContext http, string tenantSlug, string format)
    {
        var baseUrl = options.Value.PublicBaseUrl?.ToString().TrimEnd('/')
            ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return new Uri($"{baseUrl}/api/v1/sso/{string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Uri.EscapeDataString(tenantSlug))}");
    }
}
