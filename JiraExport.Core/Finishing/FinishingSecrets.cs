using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Finishing;

/// <summary>
/// Encrypts the secrets of PDF finishing at rest with Data Protection: the passwords of an encrypted export (the Api
/// protects them before the row is saved, the Worker unprotects them to write the file) and the tenant's signing
/// certificate, whose uploaded password is never kept: the key is re-exported under a generated one.
/// </summary>
public sealed class FinishingSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _passwords = provider.CreateProtector(TenantSecretPurposes.PdfPasswords);
    private readonly IDataProtector _certificates = provider.CreateProtector(TenantSecretPurposes.SigningCertificate);

    /// <summary>The options with both passwords protected for the tenant; as they are stored in the exports row.</summary>
    public EncryptOptions Protect(Guid tenantId, EncryptOptions encrypt) => encrypt with
    {
        UserPassword = encrypt.UserPassword is null ? null : _passwords.ProtectFor(tenantId, encrypt.UserPassword),
        OwnerPassword = encrypt.OwnerPassword is null ? null : _passwords.ProtectFor(tenantId, encrypt.OwnerPassword),
    };

    /// <summary>The options with the plain passwords, for the moment the file is written.</summary>
    public EncryptOptions Unprotect(Guid tenantId, EncryptOptions stored) => stored with
    {
        UserPassword = stored.UserPassword is null ? null : _passwords.UnprotectFor(tenantId, stored.UserPassword),
        OwnerPassword = stored.OwnerPassword is null ? null : _passwords.UnprotectFor(tenantId, stored.OwnerPassword),
    };

    /// <summary>Protects a certificate with its private key for the tenant; the password the tenant gave is not part of the payload.</summary>
    public string ProtectCertificate(Guid tenantId, X509Certificate2 certificate)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var pkcs12 = certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        return _certificates.ProtectFor(tenantId, JsonSerializer.Serialize(new StoredCertificate(pkcs12, password), JsonSerializerOptions.Web));
    }

    /// <summary>The certificate with its private key, held in memory only (nothing is written to a key store).</summary>
    public X509Certificate2 UnprotectCertificate(Guid tenantId, string stored)
    {
        var payload = JsonSerializer.Deserialize<StoredCertificate>(_certificates.UnprotectFor(tenantId, stored), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("A stored signing certificate is empty.");
        return X509CertificateLoader.LoadPkcs12(payload.Pkcs12, payload.Password, X509KeyStorageFlags.EphemeralKeySet);
    }

    private sealed record StoredCertificate(byte[] Pkcs12, string Password);
}
