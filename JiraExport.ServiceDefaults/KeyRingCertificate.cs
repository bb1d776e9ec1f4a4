using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JiraExport.ServiceDefaults;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest, passed to every service as base64 PKCS#12
/// (<see cref="ConfigurationKey"/>). It lives outside the database, so a dump of the database alone decrypts nothing.
/// </summary>
public static class KeyRingCertificate
{
    public const string ConfigurationKey = "DataProtection:KeyRingCertificate";

    /// <summary>The AppHost parameter (a secret) that carries it.</summary>
    public const string ParameterName = "data-protection-certificate";

    /// <summary>A new self-signed RSA certificate with its private key, as base64 PKCS#12 without a password.</summary>
    public static string CreateBase64()
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=JiraExport key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        // Expiry does not stop decryption; the long validity only avoids warnings from tools that check it.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(30));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12));
    }

    public static X509Certificate2 Load(string base64) =>
        X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(base64), password: null, X509KeyStorageFlags.EphemeralKeySet);
}
