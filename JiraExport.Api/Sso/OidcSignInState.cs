using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.Sso;

/// <summary>
/// What an OIDC sign-in must remember between the redirect to the provider and the callback, carried in the
/// <c>state</c> parameter itself, encrypted and time-limited, so any Api instance can finish it. A random value in
/// both the state and a cookie binds the callback to the browser that started it (login CSRF).
/// </summary>
public sealed record OidcSignInState(Guid TenantId, string Nonce, string CodeVerifier, string? ReturnUrl, string BrowserBinding);

public sealed class OidcSignInStates(IDataProtectionProvider dataProtection, IOptions<SsoOptions> options)
{
    public const string CookieName = "jx_sso_oidc";

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("JiraExport.Sso.OidcState.v1").ToTimeLimitedDataProtector();

    public static OidcSignInState Create(Guid tenantId, string? returnUrl) =>
        new(tenantId, RandomValue(), RandomValue(), returnUrl, RandomValue());

    public string Protect(OidcSignInState state) =>
        _protector.Protect(JsonSerializer.Serialize(state), options.Value.SignInLifetime);

    public OidcSignInState Unprotect(string? protectedState, string? browserBinding)
    {
        OidcSignInState? state;
        try
        {
            state = string.IsNullOrEmpty(protectedState) ? null : JsonSerializer.Deserialize<OidcSignInState>(_protector.Unprotect(protectedState));
        }
        catch (CryptographicException)
        {
            state = null; // Tampered with, expired, or from another deployment.
        }

        if (state is null)
        {
            throw new SsoException("This sign-in has expired or its state is not valid; start the sign-in again.", StatusCodes.Status400BadRequest);
        }

        if (!CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(state.BrowserBinding), System.Text.Encoding.UTF8.GetBytes(browserBinding ?? "")))
        {
            throw new SsoException("This sign-in was started in another browser; start it again here.", StatusCodes.Status400BadRequest);
        }

        return state;
    }

    private static string RandomValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
