using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Tenancy;

/// <summary>
/// A tenant's secrets protected so they decrypt only for that tenant: the purpose chain ends with the tenant's id, so a
/// ciphertext copied into another tenant's row (by anyone able to write the database) does not decrypt there. A value
/// without the marker is refused: those stored before were bound by <see cref="TenantSecretRebinding"/> at migration.
/// </summary>
public static class TenantBoundProtection
{
    // Data Protection's output is base64url, which never contains a dot: the marker cannot be mistaken for a payload.
    private const string Marker = "t1.";

    public static string ProtectFor(this IDataProtector purpose, Guid tenantId, string plaintext) =>
        Marker + ForTenant(purpose, tenantId).Protect(plaintext);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The payload was not protected for this tenant (or is damaged).</exception>
    public static string UnprotectFor(this IDataProtector purpose, Guid tenantId, string stored) =>
        stored.StartsWith(Marker, StringComparison.Ordinal)
            ? ForTenant(purpose, tenantId).Unprotect(stored[Marker.Length..])
            : throw new System.Security.Cryptography.CryptographicException("The secret is not bound to a tenant.");

    private static IDataProtector ForTenant(IDataProtector purpose, Guid tenantId) => purpose.CreateProtector(tenantId.ToString("N"));
}
