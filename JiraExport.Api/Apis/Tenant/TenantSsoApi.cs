using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Api.Sso;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The tenant's single sign-on: its OpenID provider and SAML identity provider, provisioning, and return URLs.</summary>
public static class TenantSsoApi
{
    private const int MaxReturnUrls = 10;

    public static async Task<Ok<SsoSettingsResponse>> GetSsoSettings(
        HttpContext http, JiraExportDbContext db, SsoUrls urls, CancellationToken cancellationToken)
    {
        var slug = await db.Tenants.Select(t => t.Slug).SingleAsync(cancellationToken);
        var settings = await db.TenantSsoSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            ?? new TenantSsoSettings { TenantId = db.TenantId!.Value };
        return TypedResults.Ok(ToResponse(settings, slug, http, urls));
    }

    /// <summary>
    /// The structural rules of <see cref="UpdateSsoSettingsRequest"/>. Whether the OIDC provider answers is found out by the
    /// handler, after it made sure an owner asks: only an owner may make this server call out to a provider.
    /// </summary>
    internal static Dictionary<string, string[]> Validate(UpdateSsoSettingsRequest request, bool requireHttps, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ProvisionedRole is not null && UsersApi.ParseRole(request.ProvisionedRole, errors) == TenantRole.Owner)
        {
            errors["provisionedRole"] = ["Provisioned people may be viewers, members or admins, never owners."];
        }

        var returnUrls = request.ReturnUrls ?? [];
        if (returnUrls.Count > MaxReturnUrls || returnUrls.Any(url => !IsWebUrl(url, requireHttps: false) || url.Contains('#', StringComparison.Ordinal)))
        {
            errors["returnUrls"] = [$"Give at most {MaxReturnUrls} absolute http(s) URLs of at most 500 characters, without fragments."];
        }

        if (request.Oidc is { } oidc)
        {
            if (!IsWebUrl(oidc.Authority, requireHttps))
            {
                errors["oidc.authority"] = [$"The provider's issuer URL ({(requireHttps ? "https" : "http or https")}, at most 500 characters) is required."];
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId) || oidc.ClientId.Length > 200)
            {
                errors["oidc.clientId"] = ["The client id the provider gave this app (at most 200 characters) is required."];
            }

            if (oidc.ClientSecret is { Length: 0 or > 500 })
            {
                errors["oidc.clientSecret"] = ["Leave the client secret out to keep the stored one, or give one of at most 500 characters."];
            }
        }

        if (request.Saml is { } saml)
        {
            if (string.IsNullOrWhiteSpace(saml.IdpEntityId) || saml.IdpEntityId.Length > 500)
            {
                errors["saml.idpEntityId"] = ["The identity provider's entity id (at most 500 characters) is required."];
            }

            if (!IsWebUrl(saml.SsoUrl, requireHttps))
            {
                errors["saml.ssoUrl"] = [$"The identity provider's single sign-on URL ({(requireHttps ? "https" : "http or https")}) is required."];
            }

            ReadCertificate(saml.SigningCertificate, now, errors)?.Dispose();
        }

        return errors;
    }

    public static async Task<Results<Ok<SsoSettingsResponse>, ValidationProblem, ProblemHttpResult>> UpdateSsoSettings(
        UpdateSsoSettingsRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        OidcProviderClient provider,
        IDataProtectionProvider dataProtection,
        SecurityEventLog securityEvents,
        SsoUrls urls,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        // The provider named here signs people in as members: choosing it is an owner's act, or an admin could sign in
        // as the owner through a provider of its own.
        if (!await UsersApi.IsOwnerAsync(caller, db, cancellationToken))
        {
            return TypedResults.Problem(title: "Owners only",
                detail: "Only an owner of the tenant, signed in, can change single sign-on: its provider can sign people in as members.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        var role = request.ProvisionedRole is null ? TenantRole.Member : UsersApi.ReadRole(request.ProvisionedRole);
        var returnUrls = request.ReturnUrls ?? [];
        using var certificate = request.Saml is { } saml ? ReadCertificate(saml.SigningCertificate, timeProvider.GetUtcNow(), []) : null;
        if (request.Oidc is { } reachable)
        {
            try
            {
                // Checked now, so a typo shows here rather than at the first person's sign-in.
                await provider.GetConfigurationAsync(reachable.Authority!, cancellationToken);
            }
            catch (SsoException ex)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["oidc.authority"] = [ex.Message] });
            }
        }

        var settings = await db.TenantSsoSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new TenantSsoSettings { TenantId = db.TenantId!.Value };
            db.TenantSsoSettings.Add(settings);
        }

        var keepSecret = request.Oidc is { ClientSecret: null } sameClient
            && sameClient.Authority == settings.OidcAuthority && sameClient.ClientId == settings.OidcClientId;
        settings.OidcClientSecretProtected = request.Oidc?.ClientSecret is { } secret
            ? dataProtection.CreateProtector(TenantSecretPurposes.OidcClientSecret).ProtectFor(settings.TenantId, secret)
            : keepSecret ? settings.OidcClientSecretProtected : null;
        settings.OidcAuthority = request.Oidc?.Authority;
        settings.OidcClientId = request.Oidc?.ClientId?.Trim();
        settings.SamlIdpEntityId = request.Saml?.IdpEntityId?.Trim();
        settings.SamlSsoUrl = request.Saml?.SsoUrl;
        settings.SamlSigningCertificate = certificate?.RawData;
        settings.ProvisionUsers = request.ProvisionUsers ?? false;
        settings.ProvisionedRole = role;
        settings.ReturnUrls = [.. returnUrls];
        settings.UpdatedAt = timeProvider.GetUtcNow();

        securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(),
            detail: $"sso: oidc {(settings.OidcEnabled ? "on" : "off")}, saml {(settings.SamlEnabled ? "on" : "off")}, " +
                    $"provisioning {(settings.ProvisionUsers ? "as " + UsersApi.RoleName(role) : "off")}");
        await db.SaveChangesAsync(cancellationToken);

        var slug = await db.Tenants.Select(t => t.Slug).SingleAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(settings, slug, http, urls));
    }

    private static X509Certificate2? ReadCertificate(string? text, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        const string Field = "saml.signingCertificate";
        if (string.IsNullOrWhiteSpace(text) || text.Length > 20_000)
        {
            errors[Field] = ["The identity provider's signing certificate, as PEM or base64 DER, is required."];
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text.Trim()));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            errors[Field] = ["This is not an X.509 certificate in PEM or base64 DER: " + ex.Message];
            return null;
        }

        var problem = certificate.GetRSAPublicKey() is null ? "Only RSA signing certificates are supported."
            : certificate.NotAfter < now.UtcDateTime ? $"The certificate expired on {certificate.NotAfter:u}; ask the identity provider for its current one."
            : null;
        if (problem is null)
        {
            return certificate;
        }

        errors[Field] = [problem];
        certificate.Dispose();
        return null;
    }

    private static bool IsWebUrl(string? value, bool requireHttps) =>
        value is { Length: <= 500 }
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!requireHttps && uri.Scheme == Uri.UriSchemeHttp));

    private static SsoSettingsResponse ToResponse(TenantSsoSettings settings, string slug, HttpContext http, SsoUrls urls)
    {
        SamlSettingsResponse? saml = null;
        if (settings.SamlEnabled)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(settings.SamlSigningCertificate!);
            saml = new SamlSettingsResponse(settings.SamlIdpEntityId!, settings.SamlSsoUrl!, certificate.Subject,
                Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), certificate.NotAfter.ToUniversalTime());
        }

        return new SsoSettingsResponse(
            settings.OidcEnabled ? new OidcSettingsResponse(settings.OidcAuthority!, settings.OidcClientId!, settings.OidcClientSecretProtected is not null) : null,
            saml,
            settings.ProvisionUsers,
            UsersApi.RoleName(settings.ProvisionedRole),
            settings.ReturnUrls,
            new SsoEndpointsResponse(
                urls.OidcLogin(http, slug), urls.OidcRedirectUri(http, slug), urls.SamlLogin(http, slug),
                urls.SamlEntityId(http, slug), urls.SamlAcs(http, slug), new Uri(urls.SamlEntityId(http, slug))));
    }
}
