using System.Security.Cryptography.X509Certificates;
using JiraExport.Api.Contracts;
using JiraExport.Api.Sso;
using JiraExport.Api.Throttling;
using JiraExport.Core.Domain;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Apis;

/// <summary>
/// Browser sign-in through the tenant's identity provider. Each flow ends with a token pair: answered as JSON, or,
/// when the sign-in named one of the tenant's return URLs, handed to that app as a one-time code.
/// </summary>
public static class SsoApi
{
    private const string OidcName = "OpenID Connect";
    private const string SamlName = "SAML";
    private const string SamlCookiePath = "/"; // __Host- cookies must be set for the whole host.

    public static IEndpointRouteBuilder MapSsoApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("sso").WithTags("SSO").AllowAnonymous().RequireAnonymousThrottling();

        api.MapGet("/oidc/{tenant}/login", StartOidcSignIn)
            .WithName("StartOidcSignIn")
            .WithSummary("Send the browser to the tenant's OpenID provider (code flow with PKCE)");
        api.MapGet("/oidc/{tenant}/callback", FinishOidcSignIn)
            .WithName("FinishOidcSignIn")
            .WithSummary("The provider's redirect back: redeem the code and sign in");
        api.MapGet("/saml/{tenant}/login", StartSamlSignIn)
            .WithName("StartSamlSignIn")
            .WithSummary("Send the browser to the tenant's SAML identity provider with an AuthnRequest");
        api.MapPost("/saml/{tenant}/acs", ConsumeSamlResponse)
            .DisableAntiforgery()
            .WithName("ConsumeSamlResponse")
            .WithSummary("Assertion consumer service (HTTP-POST binding): validate and sign in");
        api.MapGet("/saml/{tenant}/metadata", GetSamlMetadata)
            .WithName("GetSamlMetadata")
            .WithSummary("This service provider's SAML metadata for the tenant");

        // Redeeming the sign-in's one-time code is under auth/ (AuthApi's table).

        return app;
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> StartOidcSignIn(
        string tenant,
        string? returnUrl,
        HttpContext http,
        SsoSignIn signIn,
        OidcProviderClient provider,
        OidcSignInStates states,
        SsoUrls urls,
        IOptions<SsoOptions> options,
        CancellationToken cancellationToken)
    {
        var settings = await signIn.FindSettingsAsync(tenant, cancellationToken);
        if (settings is not { OidcEnabled: true })
        {
            return NotConfigured(tenant, OidcName);
        }

        if (CheckReturnUrl(settings, returnUrl) is { } badReturnUrl)
        {
            return badReturnUrl;
        }

        try
        {
            var configuration = await provider.GetConfigurationAsync(settings.OidcAuthority!, cancellationToken);
            var state = OidcSignInStates.Create(settings.TenantId, returnUrl);
            http.Response.Cookies.Append(OidcSignInStates.CookieName, state.BrowserBinding, new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Lax, // The provider's redirect back is a top-level GET, which Lax lets through.
                Path = "/api/",
                MaxAge = options.Value.SignInLifetime,
            });
            var authorizationUrl = OidcProviderClient.BuildAuthorizationUrl(
                configuration, settings.OidcClientId!, urls.OidcRedirectUri(http, tenant), states.Protect(state), state.Nonce, state.CodeVerifier);
            return TypedResults.Redirect(authorizationUrl.ToString());
        }
        catch (SsoException ex)
        {
            return await FailedAsync(signIn, settings.TenantId, SsoSignIn.OidcProtocol, ex, http, cancellationToken);
        }
    }

    public static async Task<Results<Ok<TokenPairResponse>, RedirectHttpResult, ProblemHttpResult>> FinishOidcSignIn(
        string tenant,
        string? code,
        string? state,
        string? error,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "error_description")] string? errorDescription,
        HttpContext http,
        SsoSignIn signIn,
        OidcProviderClient provider,
        OidcSignInStates states,
        SsoUrls urls,
        SsoHandoff handoff,
        IDataProtectionProvider dataProtection,
        CancellationToken cancellationToken)
    {
        var settings = await signIn.FindSettingsAsync(tenant, cancellationToken);
        if (settings is not { OidcEnabled: true })
        {
            return NotConfigured(tenant, OidcName);
        }

        try
        {
            if (error is not null)
            {
                throw new SsoException($"The OpenID provider did not sign you in: {Limit(error)}{(errorDescription is null ? "" : " — " + Limit(errorDescription))}.");
            }

            var signInState = states.Unprotect(state, http.Request.Cookies[OidcSignInStates.CookieName]);
            if (signInState.TenantId != settings.TenantId || string.IsNullOrEmpty(code))
            {
                throw new SsoException("This callback does not belong to a sign-in of this tenant; start the sign-in again.", StatusCodes.Status400BadRequest);
            }

            http.Response.Cookies.Delete(OidcSignInStates.CookieName, new CookieOptions { Path = "/api/" });
            var configuration = await provider.GetConfigurationAsync(settings.OidcAuthority!, cancellationToken);
            var clientSecret = settings.OidcClientSecretProtected is { } secret ? ReadClientSecret(dataProtection, settings.TenantId, secret) : null;
            var claims = await provider.RedeemCodeAsync(
                configuration, settings.OidcClientId!, clientSecret, code, urls.OidcRedirectUri(http, tenant), signInState.CodeVerifier, signInState.Nonce,
                cancellationToken);
            var subject = claims.FindFirst("sub")?.Value ?? throw new SsoException("The ID token names no subject (sub).");
            var identity = new SsoIdentity(
                SsoSignIn.OidcProtocol,
                subject,
                claims.FindFirst("email")?.Value,
                string.Equals(claims.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase),
                claims.FindFirst("name")?.Value);
            return await FinishAsync(signIn, handoff, settings, identity, signInState.ReturnUrl, http, cancellationToken);
        }
        catch (SsoException ex)
        {
            return await FailedAsync(signIn, settings.TenantId, SsoSignIn.OidcProtocol, ex, http, cancellationToken);
        }
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> StartSamlSignIn(
        string tenant,
        string? returnUrl,
        HttpContext http,
        SsoSignIn signIn,
        SsoReplayGuard replayGuard,
        SsoUrls urls,
        IOptions<SsoOptions> ssoOptions,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var settings = await signIn.FindSettingsAsync(tenant, cancellationToken);
        if (settings is not { SamlEnabled: true })
        {
            return NotConfigured(tenant, SamlName);
        }

        if (CheckReturnUrl(settings, returnUrl) is { } badReturnUrl)
        {
            return badReturnUrl;
        }

        var requestId = SamlMessages.NewRequestId();
        var browserBinding = await replayGuard.RememberRequestAsync(settings.TenantId, requestId, returnUrl);
        http.Response.Cookies.Append(SsoReplayGuard.BrowserCookieName, browserBinding, new CookieOptions
        {
            HttpOnly = true,
            // The provider's answer is a cross-site form post, which only SameSite=None cookies go along with (and
            // those must be Secure; browsers accept that on http://localhost too).
            Secure = true,
            SameSite = SameSiteMode.None,
            Path = SamlCookiePath,
            MaxAge = ssoOptions.Value.SignInLifetime,
        });
        var redirect = SamlMessages.BuildRedirectUrl(
            settings.SamlSsoUrl!, requestId, urls.SamlEntityId(http, tenant), urls.SamlAcs(http, tenant), timeProvider.GetUtcNow());
        return TypedResults.Redirect(redirect.ToString());
    }

    public static async Task<Results<Ok<TokenPairResponse>, RedirectHttpResult, ProblemHttpResult>> ConsumeSamlResponse(
        string tenant,
        HttpContext http,
        SsoSignIn signIn,
        SsoReplayGuard replayGuard,
        SsoUrls urls,
        SsoHandoff handoff,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var settings = await signIn.FindSettingsAsync(tenant, cancellationToken);
        if (settings is not { SamlEnabled: true })
        {
            return NotConfigured(tenant, SamlName);
        }

        try
        {
            if (!http.Request.HasFormContentType)
            {
                throw new SsoException("The assertion consumer service takes a form post with SAMLResponse (HTTP-POST binding).", StatusCodes.Status400BadRequest);
            }

            var form = await http.Request.ReadFormAsync(cancellationToken);
            var now = timeProvider.GetUtcNow();
            using var certificate = X509CertificateLoader.LoadCertificate(settings.SamlSigningCertificate!);
            var assertion = SamlResponseReader.Read(
                form["SAMLResponse"].ToString(),
                new SamlExpectations(settings.SamlIdpEntityId!, certificate, urls.SamlEntityId(http, tenant), urls.SamlAcs(http, tenant), now));

            if (!await replayGuard.TryConsumeAssertionAsync(settings.TenantId, assertion.Id, assertion.NotOnOrAfter, now))
            {
                throw new SsoException($"The SAML sign-in was refused: the assertion {assertion.Id} was already used (a replay).");
            }

            if (assertion.InResponseTo is null)
            {
                throw new SsoException("The SAML sign-in was refused: unsolicited (IdP-initiated) responses are not accepted; start at the sign-in address.");
            }

            var (outstanding, returnUrl) = await replayGuard.TakeRequestAsync(
                settings.TenantId, assertion.InResponseTo, http.Request.Cookies[SsoReplayGuard.BrowserCookieName]);
            if (!outstanding)
            {
                throw new SsoException(
                    "The SAML sign-in was refused: the response answers no sign-in this service provider is waiting for (expired, answered already, or started elsewhere).");
            }

            http.Response.Cookies.Delete(SsoReplayGuard.BrowserCookieName, new CookieOptions { Path = SamlCookiePath, Secure = true, SameSite = SameSiteMode.None });

            // SAML has no "verified" flag: the tenant's own identity provider speaks for its people.
            var identity = new SsoIdentity(SsoSignIn.SamlProtocol, assertion.NameId, assertion.Email, EmailVerified: true, DisplayName: null);
            return await FinishAsync(signIn, handoff, settings, identity, returnUrl, http, cancellationToken);
        }
        catch (SsoException ex)
        {
            return await FailedAsync(signIn, settings.TenantId, SsoSignIn.SamlProtocol, ex, http, cancellationToken);
        }
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetSamlMetadata(
        string tenant, HttpContext http, SsoSignIn signIn, SsoUrls urls, CancellationToken cancellationToken)
    {
        // Served as soon as the tenant exists: the provider is usually set up from it before SAML is turned on here.
        if (await signIn.FindSettingsAsync(tenant, cancellationToken) is null)
        {
            return NotConfigured(tenant, SamlName);
        }

        return TypedResults.Content(SamlMessages.BuildMetadata(urls.SamlEntityId(http, tenant), urls.SamlAcs(http, tenant)), "application/samlmetadata+xml");
    }

    public static async Task<Results<Ok<TokenPairResponse>, ProblemHttpResult>> RedeemSsoCode(SsoCodeRequest request, SsoHandoff handoff)
    {
        var tokens = request.Code is { Length: > 0 and <= 100 } code && code.StartsWith(SsoHandoff.CodePrefix, StringComparison.Ordinal)
            ? await handoff.RedeemAsync(code)
            : null;
        return tokens is null
            ? TypedResults.Problem(title: "Code not valid", detail: "This sign-in code is unknown, used, or older than a minute; sign in again.",
                statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Ok(tokens);
    }

    private static string ReadClientSecret(IDataProtectionProvider dataProtection, Guid tenantId, string stored)
    {
        try
        {
            return dataProtection.CreateProtector(TenantSecretPurposes.OidcClientSecret).UnprotectFor(tenantId, stored);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new SsoException("The tenant's OpenID client secret cannot be read; a tenant owner sets it again with PUT /api/v1/tenant/sso.");
        }
    }

    private static async Task<Results<Ok<TokenPairResponse>, RedirectHttpResult, ProblemHttpResult>> FinishAsync(
        SsoSignIn signIn, SsoHandoff handoff, TenantSsoSettings settings, SsoIdentity identity, string? returnUrl, HttpContext http,
        CancellationToken cancellationToken)
    {
        var (tokens, refused) = await signIn.SignInAsync(settings, identity, http, cancellationToken);
        if (tokens is null)
        {
            return refused!;
        }

        if (returnUrl is null)
        {
            return TypedResults.Ok(tokens);
        }

        var code = await handoff.IssueAsync(tokens);
        return TypedResults.Redirect(returnUrl + (returnUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=" + code);
    }

    private static ProblemHttpResult? CheckReturnUrl(TenantSsoSettings settings, string? returnUrl) =>
        returnUrl is null || settings.ReturnUrls.Contains(returnUrl, StringComparer.Ordinal)
            ? null
            : TypedResults.Problem(
                title: "Return URL not allowed",
                detail: "returnUrl must be one of the tenant's SSO return URLs exactly (a tenant admin sets them with PUT /api/v1/tenant/sso).",
                statusCode: StatusCodes.Status400BadRequest);

    private static async Task<ProblemHttpResult> FailedAsync(
        SsoSignIn signIn, Guid tenantId, string protocol, SsoException failure, HttpContext http, CancellationToken cancellationToken)
    {
        await signIn.RecordFailureAsync(tenantId, protocol, failure.Message, http, cancellationToken);
        return TypedResults.Problem(title: "Single sign-on failed", detail: failure.Message, statusCode: failure.StatusCode);
    }

    private static ProblemHttpResult NotConfigured(string tenant, string protocol) =>
        TypedResults.Problem(
            title: "Single sign-on not available",
            detail: $"There is no tenant '{Limit(tenant)}' with {protocol} sign-in; check the address, or ask a tenant admin to set it up.",
            statusCode: StatusCodes.Status404NotFound);

    private static string Limit(string value) => value.Length <= 200 ? value : value[..200];
}
