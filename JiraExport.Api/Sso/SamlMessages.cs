using System.IO.Compression;
using System.Xml.Linq;

namespace JiraExport.Api.Sso;

/// <summary>The messages a SAML 2.0 service provider sends: the AuthnRequest (HTTP-Redirect binding) and its metadata.</summary>
public static class SamlMessages
{
    public const string ProtocolNamespace = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNamespace = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string MetadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string EmailNameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

    private static readonly XNamespace Samlp = ProtocolNamespace;
    private static readonly XNamespace Saml = AssertionNamespace;
    private static readonly XNamespace Md = MetadataNamespace;

    /// <summary>A new request id: an xs:ID must not start with a digit.</summary>
    public static string NewRequestId() => "_" + Guid.NewGuid().ToString("N");

    /// <summary>The browser's next stop: the provider's SSO URL with the deflated, encoded AuthnRequest (SAML Bindings §3.4.4.1).</summary>
    public static Uri BuildRedirectUrl(string ssoUrl, string requestId, string spEntityId, Uri acsUrl, DateTimeOffset now)
    {
        var request = new XElement(Samlp + "AuthnRequest",
            new XAttribute(XNamespace.Xmlns + "samlp", ProtocolNamespace),
            new XAttribute(XNamespace.Xmlns + "saml", AssertionNamespace),
            new XAttribute("ID", requestId),
            new XAttribute("Version", "2.0"),
            new XAttribute("IssueInstant", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("Destination", ssoUrl),
            new XAttribute("ProtocolBinding", PostBinding),
            new XAttribute("AssertionConsumerServiceURL", acsUrl.ToString()),
            new XElement(Saml + "Issuer", spEntityId),
            new XElement(Samlp + "NameIDPolicy", new XAttribute("Format", EmailNameIdFormat), new XAttribute("AllowCreate", "true")));

        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new StreamWriter(deflate, new System.Text.UTF8Encoding(false)))
        {
            writer.Write(request.ToString(SaveOptions.DisableFormatting));
        }

        var separator = ssoUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(ssoUrl + separator + "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(buffer.ToArray())));
    }

    /// <summary>The service provider's metadata, for the tenant to load into its identity provider.</summary>
    public static string BuildMetadata(string spEntityId, Uri acsUrl) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + Environment.NewLine + new XElement(Md + "EntityDescriptor",
            new XAttribute(XNamespace.Xmlns + "md", MetadataNamespace),
            new XAttribute("entityID", spEntityId),
            new XElement(Md + "SPSSODescriptor",
                new XAttribute("AuthnRequestsSigned", "false"),
                new XAttribute("WantAssertionsSigned", "true"),
                new XAttribute("protocolSupportEnumeration", ProtocolNamespace),
                new XElement(Md + "NameIDFormat", EmailNameIdFormat),
                new XElement(Md + "AssertionConsumerService",
                    new XAttribute("Binding", PostBinding),
                    new XAttribute("Location", acsUrl.ToString()),
                    new XAttribute("index", "0"),
                    new XAttribute("isDefault", "true"))));
}
