using System.Security.Claims;
using JiraExport.Core.Tenancy;

namespace JiraExport.Core.Identity;

/// <summary>Claim names of JiraExport principals, the same for API keys and access tokens.</summary>
public static class JiraExportClaims
{
    public const string Tenant = ApiKeyAuthenticationHandler.TenantClaim;
    public const string Subject = "sub";
    public const string Session = "sid";
    public const string Scope = "scope";
    public const string TokenId = "jti";

    /// <summary>The signed-in user; null for an API key, which acts for the tenant without being a person.</summary>
    public static Guid? GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Subject), out var userId) ? userId : null;

    /// <summary>The person or API key behind a request (<see cref="Domain.PrincipalKinds"/>); null for a platform admin.</summary>
    public static (Guid Id, string Kind)? GetPrincipal(this ClaimsPrincipal principal) =>
        principal.GetUserId() is { } userId ? (userId, Domain.PrincipalKinds.User)
        : Guid.TryParse(principal.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim), out var apiKeyId) ? (apiKeyId, Domain.PrincipalKinds.ApiKey)
        : null;
}
