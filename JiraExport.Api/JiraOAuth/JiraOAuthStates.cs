using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JiraExport.Core.Jira;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.JiraOAuth;

/// <summary>
/// What connecting a Jira site over OAuth must remember between the redirect to Atlassian and the callback: carried in
/// <c>state</c>, encrypted and time-limited, so any Api instance can finish it. A random value in both the state and a
/// cookie binds the callback to the browser that started it, so nobody can get another person's consent to connect
/// a site to their own tenant. Who started connecting is the audit trail's actor of the connection the callback makes.
/// </summary>
public sealed record JiraOAuthState(Guid TenantId, string Name, string? SiteUrl, string BrowserBinding, string ActorKind, Guid ActorId);

public sealed class JiraOAuthStates(IDataProtectionProvider dataProtection, IOptions<JiraOAuthOptions> options)
{
    public const string CookieName = "jx_jira_oauth";
    public const string CookiePath = "/api/v1/connections/oauth/";

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("JiraExport.JiraOAuth.State.v1").ToTimeLimitedDataProtector();

    public static JiraOAuthState Create(Guid tenantId, string name, string? siteUrl, string actorKind, Guid actorId) =>
        new(tenantId, name, siteUrl, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)), actorKind, actorId);

    public string Protect(JiraOAuthState state) => _protector.Protect(JsonSerializer.Serialize(state), options.Value.StateLifetime);

    /// <summary>The state, or null when it is tampered with, expired, or was started in another browser.</summary>
    public JiraOAuthState? Unprotect(string? protectedState, string? browserBinding)
    {
        try
        {
            var state = string.IsNullOrEmpty(protectedState) ? null : JsonSerializer.Deserialize<JiraOAuthState>(_protector.Unprotect(protectedState));
            return state is not null && CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(state.BrowserBinding), Encoding.UTF8.GetBytes(browserBinding ?? string.Empty))
                ? state
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
