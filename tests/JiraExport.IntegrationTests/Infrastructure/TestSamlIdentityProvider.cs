using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace JiraExport.IntegrationTests.Infrastructure;

public enum SamlSigning
{
    Assertion,
    Response,
    None,
}

/// <summary>One SAML Response as the test identity provider issues it; every field can be made wrong on purpose.</summary>
public sealed record SamlResponseSpec(
    string NameId,
    string? InResponseTo,
    string Audience,
    Uri Recipient,
    DateTimeOffset NotBefore,
    DateTimeOffset NotOnOrAfter,
    SamlSigning Signing = SamlSigning.Assertion,
    string? Issuer = null,
    string AssertionId = "");

/// <summary>
/// A SAML 2.0 identity provider for tests: a self-signed RSA certificate, and Responses signed with it the way real
/// providers sign them (enveloped XML-DSig, exclusive C14N, RSA-SHA256, the certificate in KeyInfo).
/// </summary>
public sealed class TestSamlIdentityProvider : IDisposable
{
    private const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    private const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";

    public TestSamlIdentityProvider(string name = "Test IdP")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public string EntityId { get; } = $"https://idp-{Guid.NewGuid():N}.example.test/saml";
    public string SsoUrl { get; } = "https://idp.example.test/sso/saml";
    public X509Certificate2 Certificate { get; }
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>The AuthnRequest a redirect to this provider carries (HTTP-Redirect binding: deflated, base64).</summary>
    public static XmlElement ReadAuthnRequest(Uri redirect)
    {
        var encoded = System.Web.HttpUtility.ParseQueryString(redirect.Query)["SAMLRequest"]!;
        using var inflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(encoded)), CompressionMode.Decompress);
        var document = new XmlDocument();
        document.Load(inflate);
        return document.DocumentElement!;
    }

    /// <summary>The base64 Response, as the browser posts it to the assertion consumer service.</summary>
    public string CreateResponse(SamlResponseSpec spec) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(CreateResponseXml(spec).OuterXml));

    public XmlDocument CreateResponseXml(SamlResponseSpec spec)
    {
        var assertionId = spec.AssertionId is { Length: > 0 } given ? given : "_a" + Guid.NewGuid().ToString("N");
        var responseId = "_r" + Guid.NewGuid().ToString("N");
        var inResponseTo = spec.InResponseTo is null ? "" : $" InResponseTo=\"{spec.InResponseTo}\"";
        var now = Time(DateTimeOffset.UtcNow);
        var xml = $"""
            <samlp:Response xmlns:samlp="{Protocol}" xmlns:saml="{Assertion}" ID="{responseId}" Version="2.0" IssueInstant="{now}" Destination="{spec.Recipient}"{inResponseTo}><saml:Issuer>{spec.Issuer ?? EntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="{assertionId}" Version="2.0" IssueInstant="{now}"><saml:Issuer>{spec.Issuer ?? EntityId}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{spec.NameId}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData{inResponseTo} Recipient="{spec.Recipient}" NotOnOrAfter="{Time(spec.NotOnOrAfter)}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{Time(spec.NotBefore)}" NotOnOrAfter="{Time(spec.NotOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>{spec.Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{now}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement></saml:Assertion></samlp:Response>
            """;
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        var names = new XmlNamespaceManager(document.NameTable);
        names.AddNamespace("saml", Assertion);
        switch (spec.Signing)
        {
            case SamlSigning.Assertion:
                Sign((XmlElement)document.SelectSingleNode("//saml:Assertion", names)!, assertionId);
                break;
            case SamlSigning.Response:
                Sign(document.DocumentElement!, responseId);
                break;
        }

        return document;
    }

    /// <summary>Signs the element and puts the signature right after its Issuer, where the SAML schema wants it.</summary>
    public void Sign(XmlElement element, string id, X509Certificate2? certificate = null)
    {
        certificate ??= Certificate;
        using var key = certificate.GetRSAPrivateKey()!;
        var signedXml = new SignedXml(element) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + id) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        signedXml.KeyInfo = new KeyInfo();
        signedXml.KeyInfo.AddClause(new KeyInfoX509Data(certificate));
        signedXml.ComputeSignature();
        var issuer = element.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == "Issuer");
        element.InsertAfter(element.OwnerDocument.ImportNode(signedXml.GetXml(), deep: true), issuer);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Certificate.Dispose();
}
