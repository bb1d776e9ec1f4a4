using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JiraExport.Api.Finishing;

/// <summary>
/// Opens an uploaded PKCS#12 file and checks it can sign PDFs: the password opens it, it holds a private key, the
/// certificate is valid now, and the key is RSA (2048 bits or more) or ECDSA with a key usage that allows signing.
/// </summary>
internal static class SigningCertificateReader
{
    public const string Pkcs12Field = "pkcs12";
    public const string PasswordField = "password";
    private const int MaxBase64Length = 100_000;

    /// <returns>The certificate with its private key, or null with the reason in <paramref name="errors"/>.</returns>
    public static X509Certificate2? Read(string? base64, string? password, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(base64) || base64.Length > MaxBase64Length)
        {
            errors[Pkcs12Field] = [$"The PKCS#12 file (.p12 or .pfx, with the private key) in base64 is required, at most {MaxBase64Length:N0} characters."];
            return null;
        }

        if (password is { Length: > 1024 })
        {
            errors[PasswordField] = ["The password may be at most 1,024 characters."];
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            errors[Pkcs12Field] = ["This is not valid base64; encode the .p12/.pfx file, e.g. base64 -w0 signer.p12."];
            return null;
        }

        if (!LooksLikePkcs12(bytes))
        {
            errors[Pkcs12Field] = ["This is not a PKCS#12 file; export the certificate together with its private key as .p12 or .pfx."];
            return null;
        }

        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            errors[PasswordField] = ["The password does not open this PKCS#12 file; check it (an empty password is sent as \"\")."];
            return null;
        }

        var certificate = collection.FirstOrDefault(c => c.HasPrivateKey);
        foreach (var other in collection.Where(c => !ReferenceEquals(c, certificate)))
        {
            other.Dispose();
        }

        if (certificate is null)
        {
            errors[Pkcs12Field] = ["The file holds no private key, so it cannot sign; export the certificate with its private key."];
            return null;
        }

        var problem = Problem(certificate, now);
        if (problem is null)
        {
            return certificate;
        }

        errors[Pkcs12Field] = [problem];
        certificate.Dispose();
        return null;
    }

    /// <summary>PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo SEQUENCE { contentType OID, … }, … } (RFC 7292).</summary>
    private static bool LooksLikePkcs12(byte[] bytes)
    {
        try
        {
            var pfx = new AsnReader(bytes, AsnEncodingRules.BER).ReadSequence();
            if (!pfx.TryReadInt32(out var version) || version != 3)
            {
                return false;
            }

            return pfx.ReadSequence().ReadObjectIdentifier() is "1.2.840.113549.1.7.1" or "1.2.840.113549.1.7.2";
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static string? Problem(X509Certificate2 certificate, DateTimeOffset now)
    {
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            return $"The certificate expired on {certificate.NotAfter.ToUniversalTime():u}; upload a current one.";
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return $"The certificate is not valid before {certificate.NotBefore.ToUniversalTime():u}; upload it from then on, or a current one.";
        }

        using var rsa = certificate.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? certificate.GetECDsaPrivateKey() : null;
        if (rsa is null && ecdsa is null)
        {
            return "Only RSA and ECDSA keys can sign PDFs here; this certificate has another kind of key.";
        }

        if (rsa is { KeySize: < 2048 })
        {
            return $"The RSA key has {rsa.KeySize} bits; PDF signatures need at least 2048.";
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
        {
            return "The certificate's key usage does not allow digital signatures; ask for a certificate issued for signing documents.";
        }

        return null;
    }
}
