using System.Security.Claims;
using System.Security.Cryptography;
using JiraExport.Api.Contracts;
using JiraExport.Api.Finishing;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Finishing;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The certificate PDF exports are signed with (<c>options.sign</c>): uploaded as PKCS#12, kept encrypted, never returned.</summary>
public static class TenantSigningCertificateApi
{
    public static async Task<Results<Ok<SigningCertificateResponse>, ProblemHttpResult>> GetSigningCertificate(
        JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var settings = await db.TenantPdfSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return settings is { HasSigningCertificate: true } ? TypedResults.Ok(ToResponse(settings)) : NotFound();
    }

    public static async Task<Results<Ok<SigningCertificateResponse>, ValidationProblem>> UploadSigningCertificate(
        UploadSigningCertificateRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        FinishingSecrets secrets,
        SecurityEventLog securityEvents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var now = timeProvider.GetUtcNow();
        using var certificate = SigningCertificateReader.Read(request.Pkcs12, request.Password, now, errors);
        if (certificate is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The signing certificate was not accepted");
        }

        var settings = await db.TenantPdfSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new TenantPdfSettings { TenantId = db.TenantId!.Value };
            db.TenantPdfSettings.Add(settings);
        }

        settings.SigningCertificateProtected = secrets.ProtectCertificate(settings.TenantId, certificate);
        settings.SigningCertificateSubject = certificate.Subject;
        settings.SigningCertificateIssuer = certificate.Issuer;
        settings.SigningCertificateThumbprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        settings.SigningCertificateNotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        settings.SigningCertificateNotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        settings.UpdatedAt = now;

        securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(),
            detail: $"signing certificate uploaded: {settings.SigningCertificateSubject} ({settings.SigningCertificateThumbprint})");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(settings));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSigningCertificate(
        ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, SecurityEventLog securityEvents, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var settings = await db.TenantPdfSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is not { HasSigningCertificate: true })
        {
            return NotFound();
        }

        securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(),
            detail: $"signing certificate removed: {settings.SigningCertificateSubject} ({settings.SigningCertificateThumbprint})");
        settings.SigningCertificateProtected = null;
        settings.SigningCertificateSubject = null;
        settings.SigningCertificateIssuer = null;
        settings.SigningCertificateThumbprint = null;
        settings.SigningCertificateNotBefore = null;
        settings.SigningCertificateNotAfter = null;
        settings.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(
        title: "No signing certificate",
        detail: "The tenant has no signing certificate; upload one with PUT /api/v1/tenant/signing-certificate.",
        statusCode: StatusCodes.Status404NotFound);

    private static SigningCertificateResponse ToResponse(TenantPdfSettings settings) => new(
        settings.SigningCertificateSubject!, settings.SigningCertificateIssuer!, settings.SigningCertificateThumbprint!,
        settings.SigningCertificateNotBefore!.Value, settings.SigningCertificateNotAfter!.Value, settings.UpdatedAt);
}
