namespace JiraExport.Api.Auth;

internal static class AuthorizationPolicies
{
    /// <summary>A caller authenticated as a tenant (API key today; users with the identity work).</summary>
    public const string Tenant = "tenant";
}
