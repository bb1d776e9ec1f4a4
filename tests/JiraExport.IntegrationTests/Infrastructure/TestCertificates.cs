using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>Self-signed signing certificates made in code, exported as the base64 PKCS#12 the Api takes.</summary>
public static class TestCertificates
{
    public const string Password = "test-p12-password";

    public static string Pkcs12(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool withPrivateKey = true)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=JiraExport Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        using var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1));
        if (withPrivateKey)
        {
            return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12, Password));
        }

        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return Convert.ToBase64String(publicOnly.Export(X509ContentType.Pkcs12, Password));
    }
}
