using System.Security.Claims;
using System.Text.Encodings.Web;
using JiraExport.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Tenancy;

/// <summary>
/// Authenticates a tenant by its API key: the <c>X-Api-Key</c> header, a bearer token, or the <c>access_token</c>
/// query value that browsers must use for WebSockets. The tenant id becomes a claim; nothing else decides the tenant.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache cache,
    TimeProvider timeProvider)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string TenantClaim = "tenant_id";
    public const string ApiKeyClaim = "api_key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? apiKey = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(apiKey)
            && Request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer " + ApiKeys.KeyPrefix, StringComparison.Ordinal))
        {
            // The browser SignalR client's accessTokenFactory sends the key as a bearer token on negotiate...
            apiKey = authorization["Bearer ".Length..];
        }

        if (string.IsNullOrEmpty(apiKey) && Request.Path.StartsWithSegments("/hubs"))
        {
            // ...and as access_token on the WebSocket request, where browsers cannot set headers. Only there:
            // a key in a URL ends up in logs.
            apiKey = Request.Query["access_token"];
        }

        if (string.IsNullOrEmpty(apiKey))
        {
            return AuthenticateResult.NoResult();
        }

        if (!apiKey.StartsWith(ApiKeys.KeyPrefix, StringComparison.Ordinal) || apiKey.Length > 100)
        {
            return AuthenticateResult.Fail("The API key is not in the expected format.");
        }

        var match = await cache.FindAsync(apiKey, Context.RequestAborted);
        if (match is null || match.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return AuthenticateResult.Fail("The API key is not valid, revoked or expired.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(TenantClaim, match.TenantId.ToString()),
                new Claim(ApiKeyClaim, match.ApiKeyId.ToString()),

                // The tenant's first key has no stored scopes and acts with every scope.
                new Claim(JiraExportClaims.Scope, match.Scopes ?? string.Join(' ', Scopes.All)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
