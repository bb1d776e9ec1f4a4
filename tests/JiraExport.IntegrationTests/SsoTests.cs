using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using System.Xml;
using JiraExport.IntegrationTests.Infrastructure;
using static JiraExport.IntegrationTests.Infrastructure.SamlSignIns;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Single sign-on through the real Api: OpenID Connect against a real provider (OpenIddict) over HTTP, and SAML 2.0
/// with responses signed by a test identity provider, including the attacks on both.
/// </summary>
public sealed class SsoTests(JiraExportSystem system, TestOpenIdProvider provider)
    : IClassFixture<JiraExportSystem>, IClassFixture<TestOpenIdProvider>
{
    private const string AppReturnUrl = "https://app.example.test/signed-in";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OidcSignInRunsTheCodeFlowWithPkceAndFindsTheMemberByVerifiedEmail()
    {
        var (account, owner) = await ArrangeOidcTenantAsync(provisionUsers: false);
        provider.SignInAs(new IdentityProviderPerson("alice-" + account.Slug, account.Email));

        using var browser = new Browser(system);
        var toProvider = await browser.GetRedirectAsync($"/api/v1/sso/oidc/{account.Slug}/login");
        var authorize = HttpUtility.ParseQueryString(toProvider.Query);
        Assert.StartsWith(provider.Authority.ToString(), toProvider.ToString(), StringComparison.Ordinal);
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.Equal("code", authorize["response_type"]);
        Assert.False(string.IsNullOrEmpty(authorize["nonce"]));

        var backToApi = await browser.GetRedirectAsync(toProvider);
        Assert.Equal(system.Api.BaseAddress.Authority, backToApi.Authority);
        using var callback = await browser.GetAsync(backToApi);
        Assert.True(callback.StatusCode == HttpStatusCode.OK, await callback.Content.ReadAsStringAsync(Token));
        var pair = (await callback.Content.ReadFromJsonAsync<TokenPair>(Token))!;

        var jwt = new JsonWebToken(pair.AccessToken);
        Assert.Equal(account.UserId.ToString(), jwt.Subject);
        Assert.Equal(account.TenantId.ToString(), jwt.GetClaim("tenant_id").Value);
        using var user = system.CreateUserClient(pair.AccessToken);
        using var tenant = await user.GetAsync("/api/v1/tenant", Token);
        Assert.Equal(HttpStatusCode.OK, tenant.StatusCode);

        // The second sign-in finds the person by the provider's subject, linked at the first.
        using var again = new Browser(system);
        using var second = await again.FollowToApiAsync($"/api/v1/sso/oidc/{account.Slug}/login", provider);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var events = await owner.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("sso:oidc", events);
    }

    [Fact]
    public async Task OidcProvisionsAnUnknownPersonOnlyWhenTheTenantAllowsItAndNeverOnAnUnverifiedEmail()
    {
        var (account, owner) = await ArrangeOidcTenantAsync(provisionUsers: false);
        var newcomer = $"newcomer@{account.Slug}.example.com";

        provider.SignInAs(new IdentityProviderPerson("bob-" + account.Slug, newcomer));
        using (var refused = await new Browser(system).FollowToApiAsync($"/api/v1/sso/oidc/{account.Slug}/login", provider))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("turn on provisioning", await refused.Content.ReadAsStringAsync(Token));
        }

        await ConfigureOidcAsync(owner, account.Slug, provisionUsers: true, provisionedRole: "viewer");
        provider.SignInAs(new IdentityProviderPerson("carol-" + account.Slug, $"carol@{account.Slug}.example.com", EmailVerified: false));
        using (var unverified = await new Browser(system).FollowToApiAsync($"/api/v1/sso/oidc/{account.Slug}/login", provider))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unverified.StatusCode);
            Assert.Contains("verified email", await unverified.Content.ReadAsStringAsync(Token));
        }

        provider.SignInAs(new IdentityProviderPerson("bob-" + account.Slug, newcomer, Name: "Bob Newcomer"));
        using var provisioned = await new Browser(system).FollowToApiAsync($"/api/v1/sso/oidc/{account.Slug}/login", provider);
        Assert.Equal(HttpStatusCode.OK, provisioned.StatusCode);
        var pair = (await provisioned.Content.ReadFromJsonAsync<TokenPair>(Token))!;
        Assert.DoesNotContain("exports:write", new JsonWebToken(pair.AccessToken).GetClaim("scope").Value.Split(' '));

        using var members = JsonDocument.Parse(await owner.GetStringAsync("/api/v1/users", Token));
        var bob = members.RootElement.EnumerateArray().Single(m => m.GetProperty("email").GetString() == newcomer);
        Assert.Equal("viewer", bob.GetProperty("role").GetString());

        var events = await owner.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("\"user.provisioned\"", events);
        Assert.Contains("\"sso.failed\"", events);

        // The tenant's audit trail has the provisioning (the newcomer is its actor); the refusals made nobody.
        using var trail = JsonDocument.Parse(await owner.GetStringAsync("/api/v1/tenant/audit-log", Token));
        var provisionedEntry = Assert.Single(trail.RootElement.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("actorId").GetGuid() == bob.GetProperty("userId").GetGuid());
        Assert.Equal(("user", $"/api/v1/sso/oidc/{account.Slug}/callback"), (provisionedEntry.GetProperty("actorKind").GetString(), provisionedEntry.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task AnOidcCallbackFromAnotherBrowserOrWithAForgedStateOrAProviderRefusalSignsNobodyIn()
    {
        var (account, _) = await ArrangeOidcTenantAsync(provisionUsers: false);
        provider.SignInAs(new IdentityProviderPerson("dave-" + account.Slug, account.Email));

        // A victim's browser must not finish a sign-in an attacker started (login CSRF): the state is bound to a cookie.
        using var attacker = new Browser(system);
        var toProvider = await attacker.GetRedirectAsync($"/api/v1/sso/oidc/{account.Slug}/login");
        var backToApi = await attacker.GetRedirectAsync(toProvider);
        using var victim = new Browser(system);
        using (var crossBrowser = await victim.GetAsync(backToApi))
        {
            Assert.Equal(HttpStatusCode.BadRequest, crossBrowser.StatusCode);
            Assert.Contains("another browser", await crossBrowser.Content.ReadAsStringAsync(Token));
        }

        var query = HttpUtility.ParseQueryString(backToApi.Query);
        using (var forged = await attacker.GetAsync(new Uri(backToApi.GetLeftPart(UriPartial.Path) + $"?code={query["code"]}&state=forged")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        // The code was not spent by the refused attempts, so the right browser still finishes; a second use of it fails.
        using (var finished = await attacker.GetAsync(backToApi))
        {
            Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        }

        provider.SignInAs(null);
        using var refusedAtProvider = await new Browser(system).FollowToApiAsync($"/api/v1/sso/oidc/{account.Slug}/login", provider);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedAtProvider.StatusCode);
        Assert.Contains("access_denied", await refusedAtProvider.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task AReturnUrlGetsAOneTimeCodeInsteadOfTokensAndOnlyListedReturnUrlsAreAccepted()
    {
        var (account, _) = await ArrangeOidcTenantAsync(provisionUsers: false);
        provider.SignInAs(new IdentityProviderPerson("erin-" + account.Slug, account.Email));

        using var browser = new Browser(system);
        using (var unlisted = await browser.GetAsync($"/api/v1/sso/oidc/{account.Slug}/login?returnUrl={Uri.EscapeDataString("https://evil.example.test/")}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unlisted.StatusCode);
        }

        var toProvider = await browser.GetRedirectAsync($"/api/v1/sso/oidc/{account.Slug}/login?returnUrl={Uri.EscapeDataString(AppReturnUrl)}");
        var backToApi = await browser.GetRedirectAsync(toProvider);
        var toApp = await browser.GetRedirectAsync(backToApi);
        Assert.Equal(AppReturnUrl, toApp.GetLeftPart(UriPartial.Path));
        var code = HttpUtility.ParseQueryString(toApp.Query)["code"]!;
        Assert.StartsWith("jxc_", code, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", toApp.ToString(), StringComparison.Ordinal);

        using var anonymous = system.CreateApiClient();
        using var redeemed = await anonymous.PostAsJsonAsync("/api/v1/auth/sso/token", new { code }, Token);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        Assert.Equal(account.UserId.ToString(), new JsonWebToken((await redeemed.Content.ReadFromJsonAsync<TokenPair>(Token))!.AccessToken).Subject);
        using var reused = await anonymous.PostAsJsonAsync("/api/v1/auth/sso/token", new { code }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
    }

    [Fact]
    public async Task SsoSettingsAreCheckedOnSaveAndTheSecretIsNeverReturned()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);

        using var bad = await owner.PutAsJsonAsync("/api/v1/tenant/sso", new
        {
            oidc = new { authority = "http://127.0.0.1:1/", clientId = "" },
            saml = new { idpEntityId = "x", ssoUrl = "not a url", signingCertificate = "bm90IGEgY2VydA==" },
            provisionedRole = "owner",
            returnUrls = new[] { "https://app.example.test/#fragment" },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("errors");
        foreach (var field in new[] { "oidc.clientId", "saml.ssoUrl", "saml.signingCertificate", "provisionedRole", "returnUrls" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        using var unreachable = await owner.PutAsJsonAsync("/api/v1/tenant/sso",
            new { oidc = new { authority = "http://127.0.0.1:1/", clientId = "c", clientSecret = "s" } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, unreachable.StatusCode);
        Assert.Contains("discovery document", await unreachable.Content.ReadAsStringAsync(Token));

        await ConfigureOidcAsync(owner, account.Slug, provisionUsers: false);
        var settings = await owner.GetStringAsync("/api/v1/tenant/sso", Token);
        Assert.Contains("\"hasClientSecret\":true", settings);
        Assert.DoesNotContain(ClientSecret(account.Slug), settings);
        Assert.Contains($"/api/v1/sso/oidc/{account.Slug}/callback", settings);
    }

    [Fact]
    public async Task SamlSignInWithAnAssertionOrAResponseSignedByTheIdentityProviderStartsASession()
    {
        using var idp = new TestSamlIdentityProvider();
        var (account, owner) = await ArrangeSamlTenantAsync(idp);

        using var anonymous = system.CreateApiClient();
        var metadata = new XmlDocument();
        metadata.LoadXml(await anonymous.GetStringAsync($"/api/v1/sso/saml/{account.Slug}/metadata", Token));
        var entityId = metadata.DocumentElement!.GetAttribute("entityID");
        var acs = new Uri(system.Api.BaseAddress, $"/api/v1/sso/saml/{account.Slug}/acs");
        Assert.Contains(acs.ToString(), metadata.OuterXml);

        foreach (var signing in new[] { SamlSigning.Assertion, SamlSigning.Response })
        {
            var request = await system.StartSamlSignInAsync(account.Slug, idp, Token);
            Assert.Equal(entityId, request.Issuer);
            Assert.Equal(acs.ToString(), request.AcsUrl);

            using var response = await system.PostToAcsAsync(account.Slug, idp.CreateResponse(ValidResponse(account.Email, request, signing)), request, Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
            var pair = (await response.Content.ReadFromJsonAsync<TokenPair>(Token))!;
            Assert.Equal(account.UserId.ToString(), new JsonWebToken(pair.AccessToken).Subject);
        }

        var events = await owner.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("sso:saml", events);
    }

    [Fact]
    public async Task ASamlResponsePostedFromAnotherBrowserThanTheOneThatStartedTheSignInIsRefused()
    {
        using var idp = new TestSamlIdentityProvider();
        var (attacker, _) = await ArrangeSamlTenantAsync(idp);

        // Login CSRF: the attacker starts a sign-in in their own browser and has their provider answer it, then makes the
        // victim's browser post that answer (an auto-submitting form): the victim would work inside the attacker's account.
        var victimsOwnSignIn = await system.StartSamlSignInAsync(attacker.Slug, idp, Token);
        foreach (var victimsBrowser in new[] { null, victimsOwnSignIn })
        {
            var attackersSignIn = await system.StartSamlSignInAsync(attacker.Slug, idp, Token);
            var attackersAnswer = idp.CreateResponse(ValidResponse(attacker.Email, attackersSignIn));
            using var forged = await system.PostToAcsAsync(attacker.Slug, attackersAnswer, victimsBrowser, Token);
            var body = await forged.Content.ReadAsStringAsync(Token);
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{forged.StatusCode} {body}");
            Assert.Contains("started in another browser", body, StringComparison.Ordinal);
        }

        // The control: the same kind of answer posted from the browser that started its sign-in signs in.
        var signIn = await system.StartSamlSignInAsync(attacker.Slug, idp, Token);
        using var signedIn = await system.PostToAcsAsync(attacker.Slug, idp.CreateResponse(ValidResponse(attacker.Email, signIn)), signIn, Token);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task SamlRefusesTamperedExpiredEarlyWrongAudienceUnsignedForeignSignedWrappedUnsolicitedAndReplayedResponses()
    {
        using var idp = new TestSamlIdentityProvider();
        using var impostor = new TestSamlIdentityProvider("Impostor");
        var (account, owner) = await ArrangeSamlTenantAsync(idp);
        var now = DateTimeOffset.UtcNow;

        var cases = new (string Name, Func<SamlRequest, string> Response, string Expected)[]
        {
            ("tampered", request =>
            {
                var document = idp.CreateResponseXml(ValidResponse(account.Email, request));
                document.GetElementsByTagName("NameID", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!.InnerText = $"mallory@{account.Slug}.example.com";
                return Encode(document);
            }, "does not match"),
            ("expired", request => idp.CreateResponse(ValidResponse(account.Email, request) with { NotBefore = now.AddMinutes(-20), NotOnOrAfter = now.AddMinutes(-10) }), "expired"),
            ("not yet valid", request => idp.CreateResponse(ValidResponse(account.Email, request) with { NotBefore = now.AddMinutes(10) }), "not valid before"),
            ("wrong audience", request => idp.CreateResponse(ValidResponse(account.Email, request) with { Audience = "https://other-sp.example.test" }), "not for this service provider"),
            ("wrong recipient", request => idp.CreateResponse(ValidResponse(account.Email, request) with { Recipient = new Uri("https://other-sp.example.test/acs") }), "addressed to"),
            ("unsigned", request => idp.CreateResponse(ValidResponse(account.Email, request) with { Signing = SamlSigning.None }), "signature"),
            ("signed by another key", request => impostor.CreateResponse(ValidResponse(account.Email, request)), "does not match"),
            ("other issuer", request => idp.CreateResponse(ValidResponse(account.Email, request) with { Issuer = "https://evil.example.test" }), "issued by"),
            ("wrapped", request =>
            {
                // A signed assertion for the real user, and beside it an unsigned one for an attacker.
                var document = idp.CreateResponseXml(ValidResponse(account.Email, request));
                var forged = idp.CreateResponseXml(ValidResponse($"mallory@{account.Slug}.example.com", request) with { Signing = SamlSigning.None });
                var extra = document.ImportNode(forged.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!, deep: true);
                document.DocumentElement!.InsertBefore(extra, document.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]);
                return Encode(document);
            }, "exactly one assertion"),
            ("unsolicited", request => idp.CreateResponse(ValidResponse(account.Email, request) with { InResponseTo = null }), "unsolicited"),
            ("answer to an unknown request", request => idp.CreateResponse(ValidResponse(account.Email, request) with { InResponseTo = "_never-sent" }), "waiting for"),
        };

        foreach (var (name, createResponse, expected) in cases)
        {
            var request = await system.StartSamlSignInAsync(account.Slug, idp, Token);
            using var response = await system.PostToAcsAsync(account.Slug, createResponse(request), request, Token);
            var body = await response.Content.ReadAsStringAsync(Token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode} {body}");
            Assert.True(body.Contains(expected, StringComparison.Ordinal), $"{name}: expected '{expected}' in {body}");
        }

        // No DTDs, so no external entities (XXE) and no entity expansion.
        var withEntity = $"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>""";
        using (var xxe = await system.PostToAcsAsync(account.Slug, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(withEntity)), startedIn: null, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, xxe.StatusCode);
            Assert.DoesNotContain("root:", await xxe.Content.ReadAsStringAsync(Token));
        }

        // A valid response works once; the same response again is a replay.
        var valid = await system.StartSamlSignInAsync(account.Slug, idp, Token);
        var samlResponse = idp.CreateResponse(ValidResponse(account.Email, valid));
        using (var first = await system.PostToAcsAsync(account.Slug, samlResponse, valid, Token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var replayed = await system.PostToAcsAsync(account.Slug, samlResponse, valid, Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
            Assert.Contains("replay", await replayed.Content.ReadAsStringAsync(Token));
        }

        using var failures = JsonDocument.Parse(await owner.GetStringAsync("/api/v1/security-events?limit=100", Token));
        Assert.True(failures.RootElement.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "sso.failed") >= cases.Length + 1);
    }

    private async Task<(SignedUpTenant Account, HttpClient Owner)> ArrangeOidcTenantAsync(bool provisionUsers)
    {
        var account = await system.SignUpAsync(Token);
        var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        await provider.RegisterClientAsync(ClientId(account.Slug), ClientSecret(account.Slug),
            new Uri(system.Api.BaseAddress, $"/api/v1/sso/oidc/{account.Slug}/callback"));
        await ConfigureOidcAsync(owner, account.Slug, provisionUsers);
        return (account, owner);
    }

    private async Task ConfigureOidcAsync(HttpClient owner, string slug, bool provisionUsers, string provisionedRole = "member")
    {
        using var response = await owner.PutAsJsonAsync("/api/v1/tenant/sso", new
        {
            oidc = new { authority = provider.Authority.ToString(), clientId = ClientId(slug), clientSecret = ClientSecret(slug) },
            provisionUsers,
            provisionedRole,
            returnUrls = new[] { AppReturnUrl },
        }, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
    }

    private async Task<(SignedUpTenant Account, HttpClient Owner)> ArrangeSamlTenantAsync(TestSamlIdentityProvider idp)
    {
        var account = await system.SignUpAsync(Token);
        var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        await owner.ConfigureSamlAsync(idp, Token);
        return (account, owner);
    }

    private static string Encode(XmlDocument document) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(document.OuterXml));

    private static string ClientId(string slug) => "jiraexport-" + slug;

    private static string ClientSecret(string slug) => "secret-of-" + slug;

    /// <summary>A browser: keeps cookies, and shows each redirect instead of following it.</summary>
    private sealed class Browser(JiraExportSystem system) : IDisposable
    {
        private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = system.Api.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

        public Task<HttpResponseMessage> GetAsync(string relative) => _client.GetAsync(relative, Token);

        public Task<HttpResponseMessage> GetAsync(Uri absolute) => _client.GetAsync(absolute, Token);

        public Task<Uri> GetRedirectAsync(string relative) => GetRedirectAsync(new Uri(system.Api.BaseAddress, relative));

        public async Task<Uri> GetRedirectAsync(Uri address)
        {
            using var response = await _client.GetAsync(address, Token);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{address} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync(Token)}");
            return response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location : new Uri(address, response.Headers.Location);
        }

        /// <summary>Starts a sign-in, passes the provider, and answers the Api's callback response.</summary>
        public async Task<HttpResponseMessage> FollowToApiAsync(string login, TestOpenIdProvider provider)
        {
            var toProvider = await GetRedirectAsync(login);
            Assert.StartsWith(provider.Authority.ToString(), toProvider.ToString(), StringComparison.Ordinal);
            return await GetAsync(await GetRedirectAsync(toProvider));
        }

        public void Dispose() => _client.Dispose();
    }
}
