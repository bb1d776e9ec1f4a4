namespace JiraExport.Core.Identity;

/// <summary>
/// The login provider names that link an account to a tenant's identity provider (Identity's user_logins): one per
/// protocol and tenant, so a subject is only ever trusted by the tenant whose provider vouched for it.
/// </summary>
public static class SsoLoginProviders
{
    public const string Oidc = "oidc";
    public const string Saml = "saml";

    public static string For(string protocol, Guid tenantId) => $"{protocol}:{tenantId:N}";

    public static string[] OfTenant(Guid tenantId) => [For(Oidc, tenantId), For(Saml, tenantId)];
}
