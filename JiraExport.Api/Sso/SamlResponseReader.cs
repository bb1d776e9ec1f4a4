using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace JiraExport.Api.Sso;

/// <summary>What the assertion consumer service expects of a response: who signs it, and for whom it is meant.</summary>
public sealed record SamlExpectations(string IdpEntityId, X509Certificate2 SigningCertificate, string SpEntityId, Uri AcsUrl, DateTimeOffset Now);

/// <summary>The facts taken from a valid assertion.</summary>
public sealed record SamlAssertion(string Id, string NameId, string? Email, string? InResponseTo, DateTimeOffset NotOnOrAfter);

/// <summary>
/// Reads a SAML 2.0 Response from the HTTP-POST binding and accepts its one assertion only when it is signed by the
/// tenant's identity provider (XML-DSig, RSA with SHA-256 or stronger), issued by it, meant for this service provider
/// and its assertion consumer URL, and inside its validity window. Guards against signature wrapping: exactly one
/// assertion in the document, IDs unique, and the signature's single reference names the very element read.
/// </summary>
public static class SamlResponseReader
{
    public const int MaxResponseBytes = 128 * 1024;

    private const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    private const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    private static readonly HashSet<string> SignatureMethods =
    [
        SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigRSASHA512Url,
    ];

    private static readonly HashSet<string> DigestMethods = [SignedXml.XmlDsigSHA256Url, SignedXml.XmlDsigSHA384Url, SignedXml.XmlDsigSHA512Url];

    private static readonly string[] EmailAttributeNames =
    [
        "email", "mail", "emailaddress", "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ];

    public static SamlAssertion Read(string? samlResponse, SamlExpectations expected)
    {
        var document = Load(samlResponse);
        var names = new XmlNamespaceManager(document.NameTable);
        names.AddNamespace("samlp", SamlMessages.ProtocolNamespace);
        names.AddNamespace("saml", SamlMessages.AssertionNamespace);
        names.AddNamespace("ds", SignedXml.XmlDsigNamespaceUrl);

        var response = document.DocumentElement!;
        if (response.LocalName != "Response" || response.NamespaceURI != SamlMessages.ProtocolNamespace)
        {
            throw Refused("the message is not a SAML 2.0 Response");
        }

        var status = response.SelectSingleNode("samlp:Status/samlp:StatusCode/@Value", names)?.Value;
        if (status != Success)
        {
            var message = response.SelectSingleNode("samlp:Status/samlp:StatusMessage", names)?.InnerText;
            throw Refused($"the identity provider did not sign you in (status {status ?? "missing"}{(message is null ? "" : ": " + message)})");
        }

        if (response.GetAttribute("Destination") is { Length: > 0 } destination && destination != expected.AcsUrl.ToString())
        {
            throw Refused($"the response is addressed to {destination}, not to this service provider's {expected.AcsUrl}");
        }

        if (document.GetElementsByTagName("EncryptedAssertion", SamlMessages.AssertionNamespace).Count > 0)
        {
            throw Refused("encrypted assertions are not supported; turn off assertion encryption for this service provider at the identity provider");
        }

        // One assertion in the whole document, so no signed decoy can sit beside (or inside) the one that is read.
        var assertions = document.GetElementsByTagName("Assertion", SamlMessages.AssertionNamespace);
        if (assertions.Count != 1 || assertions[0]!.ParentNode != response)
        {
            throw Refused($"a response must carry exactly one assertion, directly in the Response; this one has {assertions.Count}");
        }

        var assertion = (XmlElement)assertions[0]!;
        if (!IsSignedBy(assertion, expected.SigningCertificate) && !IsSignedBy(response, expected.SigningCertificate))
        {
            throw Refused("neither the assertion nor the response carries a signature by the identity provider's certificate");
        }

        var issuer = assertion.SelectSingleNode("saml:Issuer", names)?.InnerText.Trim();
        if (issuer != expected.IdpEntityId)
        {
            throw Refused($"the assertion was issued by '{issuer}', not by the configured identity provider '{expected.IdpEntityId}'");
        }

        var skew = Core.Identity.AuthOptions.ClockSkew;
        var conditions = assertion.SelectSingleNode("saml:Conditions", names) as XmlElement
            ?? throw Refused("the assertion has no Conditions, so neither its audience nor its lifetime can be checked");
        var notBefore = ReadTime(conditions, "NotBefore");
        var notOnOrAfter = ReadTime(conditions, "NotOnOrAfter") ?? throw Refused("the assertion's Conditions have no NotOnOrAfter");
        if (notBefore is { } start && expected.Now + skew < start)
        {
            throw Refused($"the assertion is not valid before {start:u}");
        }

        if (expected.Now - skew >= notOnOrAfter)
        {
            throw Refused($"the assertion expired at {notOnOrAfter:u}");
        }

        var audiences = conditions.SelectNodes("saml:AudienceRestriction/saml:Audience", names)!.Cast<XmlNode>().Select(a => a.InnerText.Trim()).ToList();
        if (!audiences.Contains(expected.SpEntityId, StringComparer.Ordinal))
        {
            throw Refused($"the assertion is meant for {(audiences.Count == 0 ? "no audience" : string.Join(", ", audiences))}, not for this service provider ({expected.SpEntityId})");
        }

        var confirmation = assertion.SelectNodes("saml:Subject/saml:SubjectConfirmation", names)!.Cast<XmlElement>()
            .FirstOrDefault(c => c.GetAttribute("Method") == BearerMethod)
            ?.SelectSingleNode("saml:SubjectConfirmationData", names) as XmlElement
            ?? throw Refused("the assertion has no bearer SubjectConfirmation");
        if (confirmation.GetAttribute("Recipient") != expected.AcsUrl.ToString())
        {
            throw Refused($"the assertion's recipient is '{confirmation.GetAttribute("Recipient")}', not {expected.AcsUrl}");
        }

        var confirmationEnds = ReadTime(confirmation, "NotOnOrAfter") ?? throw Refused("the subject confirmation has no NotOnOrAfter");
        if (expected.Now - skew >= confirmationEnds)
        {
            throw Refused($"the subject confirmation expired at {confirmationEnds:u}");
        }

        var inResponseTo = NullIfEmpty(confirmation.GetAttribute("InResponseTo"));
        if (NullIfEmpty(response.GetAttribute("InResponseTo")) is { } responseTo && inResponseTo is not null && responseTo != inResponseTo)
        {
            throw Refused("the response and its assertion answer different requests");
        }

        var nameIdElement = assertion.SelectSingleNode("saml:Subject/saml:NameID", names) as XmlElement;
        var nameId = nameIdElement?.InnerText.Trim();
        if (string.IsNullOrEmpty(nameId))
        {
            throw Refused("the assertion names no subject (NameID)");
        }

        var email = nameIdElement!.GetAttribute("Format") == SamlMessages.EmailNameIdFormat || nameId.Contains('@', StringComparison.Ordinal)
            ? nameId
            : assertion.SelectNodes("saml:AttributeStatement/saml:Attribute", names)!.Cast<XmlElement>()
                .Where(a => EmailAttributeNames.Contains(a.GetAttribute("Name"), StringComparer.OrdinalIgnoreCase))
                .Select(a => a.SelectSingleNode("saml:AttributeValue", names)?.InnerText.Trim())
                .FirstOrDefault(v => !string.IsNullOrEmpty(v));

        var id = NullIfEmpty(assertion.GetAttribute("ID")) ?? throw Refused("the assertion has no ID");
        return new SamlAssertion(id, nameId, email, inResponseTo ?? NullIfEmpty(response.GetAttribute("InResponseTo")),
            notOnOrAfter < confirmationEnds ? notOnOrAfter : confirmationEnds);
    }

    private static XmlDocument Load(string? samlResponse)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(samlResponse ?? "");
        }
        catch (FormatException)
        {
            throw new SsoException("SAMLResponse must be the base64 of a SAML Response.", StatusCodes.Status400BadRequest);
        }

        if (bytes.Length is 0 or > MaxResponseBytes)
        {
            throw new SsoException($"SAMLResponse must hold a SAML Response of at most {MaxResponseBytes / 1024} KiB.", StatusCodes.Status400BadRequest);
        }

        // No DTDs and no external resolution: entity expansion and XXE are refused before anything is read.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxResponseBytes * 2L };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            document.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new SsoException($"SAMLResponse is not well-formed XML: {ex.Message}", StatusCodes.Status400BadRequest);
        }

        return document;
    }

    /// <summary>True when the element carries one enveloped signature whose one reference is the element itself, valid for the certificate's key.</summary>
    private static bool IsSignedBy(XmlElement element, X509Certificate2 certificate)
    {
        var signatures = element.ChildNodes.OfType<XmlElement>()
            .Where(e => e.LocalName == "Signature" && e.NamespaceURI == SignedXml.XmlDsigNamespaceUrl)
            .ToList();
        if (signatures.Count == 0)
        {
            return false;
        }

        var id = element.GetAttribute("ID");
        if (signatures.Count > 1 || id.Length == 0)
        {
            throw Refused("a signed element must have an ID and exactly one signature");
        }

        if (element.OwnerDocument.SelectNodes($"//*[@ID='{id.Replace("'", "", StringComparison.Ordinal)}']")!.Count != 1)
        {
            throw Refused("the signed element's ID is not unique in the response");
        }

        var signedXml = new SignedXml(element);
        try
        {
            signedXml.LoadXml(signatures[0]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw Refused($"the signature cannot be read: {ex.Message}");
        }

        if (signedXml.SignedInfo?.References is not [Reference reference] || reference.Uri != "#" + id)
        {
            throw Refused("the signature must have exactly one reference, to the element it signs");
        }

        if (!SignatureMethods.Contains(signedXml.SignedInfo.SignatureMethod ?? "") || !DigestMethods.Contains(reference.DigestMethod ?? ""))
        {
            throw Refused($"the signature uses {signedXml.SignedInfo.SignatureMethod} with {reference.DigestMethod}; RSA with SHA-256 or stronger is required");
        }

        foreach (Transform transform in reference.TransformChain)
        {
            if (transform is not (XmlDsigEnvelopedSignatureTransform or XmlDsigExcC14NTransform or XmlDsigC14NTransform))
            {
                throw Refused($"the signature uses the transform {transform.Algorithm}, which SAML does not allow");
            }
        }

        try
        {
            // The certificate is pinned by the tenant's configuration, so its chain is not what is trusted.
            return signedXml.CheckSignature(certificate, verifySignatureOnly: true) ? true : throw Refused("the signature does not match the signed content or the identity provider's certificate");
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw Refused($"the signature cannot be checked: {ex.Message}");
        }
    }

    private static DateTimeOffset? ReadTime(XmlElement element, string attribute) =>
        element.GetAttribute(attribute) is { Length: > 0 } value
            ? DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : throw Refused($"{element.LocalName}/@{attribute} is not a time: {value}")
            : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static SsoException Refused(string reason) => new("The SAML sign-in was refused: " + reason + ".");
}
