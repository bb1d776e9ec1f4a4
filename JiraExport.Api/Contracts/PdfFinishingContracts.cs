using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Contracts;

/// <summary>The watermark stamped on every PDF export of the tenant; a request's own watermark is added, never a replacement.</summary>
public sealed record ExportPolicyRequest(WatermarkOptions? Watermark) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TenantExportPolicyApi.Validate(this).AsValidationResults();
}

public sealed record ExportPolicyResponse(WatermarkOptions? Watermark, DateTimeOffset? UpdatedAt);

/// <summary><paramref name="Pkcs12"/>: the .p12/.pfx file in base64, with its private key; <paramref name="Password"/> opens it and is not kept.</summary>
public sealed record UploadSigningCertificateRequest(string? Pkcs12, string? Password);

/// <summary>The tenant's signing certificate; never its key. <paramref name="Thumbprint"/> is the SHA-256 of the certificate, in hex.</summary>
public sealed record SigningCertificateResponse(
    string Subject, string Issuer, string Thumbprint, DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset UpdatedAt);
