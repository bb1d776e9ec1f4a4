namespace JiraExport.Api.Auth;

internal static class AuthorizationPolicies
{
    /// <summary>A caller that acts for a tenant: an API key, or a user's access token.</summary>
    public const string Tenant = "tenant";
}
