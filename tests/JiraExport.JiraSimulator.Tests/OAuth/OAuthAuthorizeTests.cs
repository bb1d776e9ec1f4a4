using System.Net;
using JiraExport.JiraSimulator.OAuth;
using Microsoft.AspNetCore.Builder;

namespace JiraExport.JiraSimulator.Tests.OAuth;

/// <summary><c>/authorize</c>: auto-consent, Atlassian's checks, and the refusals a client must handle.</summary>
public sealed class OAuthAuthorizeTests(OAuthFixture oauth) : IClassFixture<OAuthFixture>
{
    [Fact]
    public async Task UnknownClientGetsAnErrorPageNotARedirect()
    {
        using var browser = oauth.CreateBrowser();

        using var response = await browser.GetAsync(OAuthFixture.AuthorizeUrl("read:jira-work", clientId: "nobody"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(OAuthClientOptions.TestRedirectUri + "/more")]
    [InlineData(OAuthClientOptions.TestRedirectUri + "?extra=1")]
    [InlineData(OAuthFixture.OtherRedirectUri)]
    [InlineData("")]
    public async Task RedirectUriMustBeExactlyOneOfTheAppsOwn(string redirectUri)
    {
        using var browser = oauth.CreateBrowser();

        using var response = await browser.GetAsync(OAuthFixture.AuthorizeUrl("read:jira-work", redirectUri: redirectUri), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("token", "api.atlassian.com", "read:jira-work", "unsupported_response_type")]
    [InlineData("code", "api.example.com", "read:jira-work", "invalid_request")]
    [InlineData("code", "api.atlassian.com", "read:jira-work fly:jira-moon", "invalid_scope")]
    [InlineData("code", "api.atlassian.com", "", "invalid_scope")]
    public async Task InvalidRequestsRedirectWithTheErrorAndTheState(string responseType, string audience, string scope, string error)
    {
        using var browser = oauth.CreateBrowser();
        var url = OAuthFixture.AuthorizeUrl(scope, state: "keep-me", responseType: responseType, audience: audience);

        using var response = await browser.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith(OAuthClientOptions.TestRedirectUri + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var query = OAuthFixture.Query(response.Headers.Location);
        Assert.Equal(error, query["error"]);
        Assert.False(string.IsNullOrEmpty(query["error_description"]));
        Assert.Equal("keep-me", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task GranularScopesAreKnown()
    {
        var code = await oauth.AuthorizeForCodeAsync(
            OAuthFixture.AuthorizeUrl("read:issue:jira read:board-scope:jira-software offline_access"), TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrEmpty(code));
    }

    [Fact]
    public async Task DenyNextRefusesOneConsentWithAccessDenied()
    {
        var ct = TestContext.Current.CancellationToken;
        using var control = oauth.CreateAnonymousClient();
        using var browser = oauth.CreateBrowser();

        using var armed = await control.PostAsync("/_simulator/oauth/deny-next", null, ct);
        using var denied = await browser.GetAsync(OAuthFixture.AuthorizeUrl("read:jira-work", state: "no-thanks"), ct);
        using var granted = await browser.GetAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);

        Assert.Equal(HttpStatusCode.NoContent, armed.StatusCode);
        var refusal = OAuthFixture.Query(denied.Headers.Location!);
        Assert.Equal("access_denied", refusal["error"]);
        Assert.Equal("no-thanks", refusal["state"]);
        Assert.False(refusal.ContainsKey("code"));
        Assert.True(OAuthFixture.Query(granted.Headers.Location!).ContainsKey("code"));
    }

    [Fact]
    public async Task CodeIsAddedToACallbackThatHasAQueryOfItsOwn()
    {
        using var browser = oauth.CreateBrowser();
        var url = OAuthFixture.AuthorizeUrl("read:jira-work", clientId: OAuthFixture.OtherClientId, redirectUri: OAuthFixture.OtherRedirectUri);

        using var response = await browser.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("https://app.example.test/jira/callback", location.GetLeftPart(UriPartial.Path));
        var query = OAuthFixture.Query(location);
        Assert.Equal("acme", query["tenant"]);
        Assert.True(query.ContainsKey("code"));
    }

    /// <summary>How a client under test registers its real callback: configuration adds apps beside the test app.</summary>
    [Fact]
    public async Task AppsFromConfigurationJoinTheTestApp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = JiraSimulatorApp.Build(
        [
            "--Logging:LogLevel:Default=Warning",
            "--JiraSimulator:OAuthClients:0:ClientId=configured-app",
            "--JiraSimulator:OAuthClients:0:ClientSecret=configured-secret",
            "--JiraSimulator:OAuthClients:0:RedirectUris:0=http://127.0.0.1:5123/api/jira/oauth/callback",
        ]);
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync(ct);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.GetBaseAddress() };

        using var configured = await browser.GetAsync(OAuthFixture.AuthorizeUrl(
            "read:jira-work", clientId: "configured-app", redirectUri: "http://127.0.0.1:5123/api/jira/oauth/callback"), ct);
        using var testApp = await browser.GetAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);

        Assert.True(OAuthFixture.Query(configured.Headers.Location!).ContainsKey("code"));
        Assert.True(OAuthFixture.Query(testApp.Headers.Location!).ContainsKey("code"));
        await app.StopAsync(ct);
    }
}
