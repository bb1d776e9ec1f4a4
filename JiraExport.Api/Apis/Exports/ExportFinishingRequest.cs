using System.Security.Claims;
using JiraExport.Core.Domain;
using JiraExport.Core.Finishing;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>What <c>POST /exports</c> settles about PDF finishing before the row is saved.</summary>
internal static class ExportFinishingRequest
{
    /// <summary>A signature needs the tenant's certificate, uploaded and still valid: refused now rather than failing in the Worker.</summary>
    public static async Task CheckSigningAsync(
        ExportOptions? options, JiraExportDbContext db, DateTimeOffset now, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (options?.Sign is null || errors.ContainsKey("options.sign"))
        {
            return;
        }

        var notAfter = await db.TenantPdfSettings.Where(s => s.SigningCertificateProtected != null)
            .Select(s => s.SigningCertificateNotAfter).SingleOrDefaultAsync(cancellationToken);
        if (notAfter is null)
        {
            errors["options.sign"] = ["The tenant has no signing certificate; a tenant admin uploads one (PKCS#12) with PUT /api/v1/tenant/signing-certificate."];
        }
        else if (notAfter < now)
        {
            errors["options.sign"] = [$"The tenant's signing certificate expired on {notAfter:u}; upload a current one with PUT /api/v1/tenant/signing-certificate."];
        }
    }

    /// <summary>The options as stored: encryption passwords protected with Data Protection, never in plain.</summary>
    public static ExportOptions? ProtectSecrets(ExportOptions? options, FinishingSecrets secrets, Guid tenantId) =>
        options?.Encrypt is { } encrypt ? options with { Encrypt = secrets.Protect(tenantId, encrypt) } : options;

    /// <summary>Who is asking, as a watermark's <c>{user}</c> shows it: "Name (email)" for a person, the key's name for an API key.</summary>
    public static async Task<string?> DescribeRequesterAsync(ClaimsPrincipal caller, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (caller.GetUserId() is { } userId)
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(cancellationToken);
            return user switch
            {
                null => null,
                { DisplayName: { Length: > 0 } name, Email: { Length: > 0 } email } => $"{name} ({email})",
                _ => user.DisplayName is { Length: > 0 } ? user.DisplayName : user.Email,
            };
        }

        if (Guid.TryParse(caller.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim), out var apiKeyId))
        {
            var name = await db.ApiKeys.AsNoTracking().Where(k => k.Id == apiKeyId).Select(k => k.Name).SingleOrDefaultAsync(cancellationToken);
            return name is null ? null : $"API key \"{name}\"";
        }

        return null;
    }
}
