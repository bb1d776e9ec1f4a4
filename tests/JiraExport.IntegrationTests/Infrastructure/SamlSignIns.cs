using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// The AuthnRequest the Api sent: its id, its issuer (the SP entity id), where the answer must go, and the cookie that
/// binds the sign-in to the browser that started it.
/// </summary>
public sealed record SamlRequest(string Id, string Issuer, string AcsUrl, string BrowserCookie);

/// <summary>The browser's part of SAML sign-ins: configure the tenant, start at the Api, post the provider's answer back.</summary>
public static class SamlSignIns
{
    public static async Task ConfigureSamlAsync(this HttpClient owner, TestSamlIdentityProvider idp, CancellationToken cancellationToken)
    {
        using var response = await owner.PutAsJsonAsync("/api/v1/tenant/sso",
            new { saml = new { idpEntityId = idp.EntityId, ssoUrl = idp.SsoUrl, signingCertificate = idp.CertificatePem } }, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static async Task<SamlRequest> StartSamlSignInAsync(
        this JiraExportSystem system, string slug, TestSamlIdentityProvider idp, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = system.Api.BaseAddress };
        using var response = await client.GetAsync($"/api/v1/sso/saml/{slug}/login", cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(cancellationToken));
        var redirect = response.Headers.Location!;
        Assert.Equal(idp.SsoUrl, redirect.GetLeftPart(UriPartial.Path));
        var request = TestSamlIdentityProvider.ReadAuthnRequest(redirect);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith("__Host-jx_sso_saml=", StringComparison.Ordinal)) ?? ""
            : "";
        return new SamlRequest(
            request.GetAttribute("ID"),
            request.GetElementsByTagName("Issuer", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!.InnerText,
            request.GetAttribute("AssertionConsumerServiceURL"),
            cookie.Split(';')[0]);
    }

    /// <summary>Posts the provider's answer as a browser does: from the browser that started the sign-in, unless <paramref name="startedIn"/> is null.</summary>
    public static async Task<HttpResponseMessage> PostToAcsAsync(
        this JiraExportSystem system, string slug, string samlResponse, SamlRequest? startedIn, CancellationToken cancellationToken)
    {
        using var client = system.CreateApiClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sso/saml/{slug}/acs")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["SAMLResponse"] = samlResponse }),
        };
        if (startedIn is { BrowserCookie.Length: > 0 })
        {
            post.Headers.Add("Cookie", startedIn.BrowserCookie);
        }

        return await client.SendAsync(post, cancellationToken);
    }

    /// <summary>A response that answers the request correctly in every respect, valid from a minute ago for five minutes.</summary>
    public static SamlResponseSpec ValidResponse(string email, SamlRequest request, SamlSigning signing = SamlSigning.Assertion) => new(
        email, request.Id, request.Issuer, new Uri(request.AcsUrl), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(5), signing);
}
