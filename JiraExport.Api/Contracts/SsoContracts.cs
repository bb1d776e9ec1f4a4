using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Sso;
using JiraExport.Api.Validation;
using Microsoft.Extensions.Options;
namespace JiraExport.Api.Contracts;

/// <summary>
/// The whole SSO configuration of the tenant; a protocol left out is turned off. <c>oidc.clientSecret</c> may be
/// left out to keep the stored one (it is never returned). <c>saml.signingCertificate</c> is PEM or base64 DER.
/// <c>provisionedRole</c>: viewer, member or admin. <c>returnUrls</c>: the tenant's apps that may receive sign-ins.
/// </summary>
public sealed record UpdateSsoSettingsRequest(
    OidcSettingsRequest? Oidc, SamlSettingsRequest? Saml, bool? ProvisionUsers, string? ProvisionedRole, IReadOnlyList<string>? ReturnUrls) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TenantSsoApi.Validate(this, validationContext.GetRequiredService<IOptions<SsoOptions>>().Value.RequireHttps, validationContext.GetRequiredService<TimeProvider>().GetUtcNow()).AsValidationResults();
}

public sealed record OidcSettingsRequest(string? Authority, string? ClientId, string? ClientSecret);

public sealed record SamlSettingsRequest(string? IdpEntityId, string? SsoUrl, string? SigningCertificate);

public sealed record SsoSettingsResponse(
    OidcSettingsResponse? Oidc,
    SamlSettingsResponse? Saml,
    bool ProvisionUsers,
    string ProvisionedRole,
    IReadOnlyList<string> ReturnUrls,
    SsoEndpointsResponse Endpoints);

public sealed record OidcSettingsResponse(string Authority, string ClientId, bool HasClientSecret);

public sealed record SamlSettingsResponse(
    string IdpEntityId, string SsoUrl, string CertificateSubject, string CertificateSha256, DateTimeOffset CertificateNotAfter);

/// <summary>What to register at the identity provider: the OIDC redirect URI, the SAML entity id and ACS, and where sign-ins start.</summary>
public sealed record SsoEndpointsResponse(
    Uri OidcLogin, Uri OidcRedirectUri, Uri SamlLogin, string SamlEntityId, Uri SamlAcs, Uri SamlMetadata);

public sealed record SsoCodeRequest(string? Code);
