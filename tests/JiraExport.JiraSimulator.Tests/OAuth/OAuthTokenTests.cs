using System.Net;
using System.Text;
using JiraExport.JiraSimulator.OAuth;

namespace JiraExport.JiraSimulator.Tests.OAuth;

/// <summary><c>POST /oauth/token</c> with <c>grant_type=authorization_code</c>: what a code buys, once, and what it does not.</summary>
public sealed class OAuthTokenTests(OAuthFixture oauth) : IClassFixture<OAuthFixture>
{
    [Fact]
    public async Task CodeIsSingleUse()
    {
        var ct = TestContext.Current.CancellationToken;
        var code = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);

        var (first, _) = await oauth.ExchangeAsync(code, ct);
        var (second, body) = await oauth.ExchangeAsync(code, ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal("invalid_grant", body.Text("error"));
        Assert.False(string.IsNullOrEmpty(body.Text("error_description")));
    }

    [Fact]
    public async Task AnotherRedirectUriThanTheAuthorizationsIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var code = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);

        var (response, body) = await oauth.TokenAsync(new
        {
            grant_type = "authorization_code",
            client_id = OAuthClientOptions.TestClientId,
            client_secret = OAuthClientOptions.TestClientSecret,
            code,
            redirect_uri = "http://localhost/elsewhere",
        }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("invalid_grant", body.Text("error"));
    }

    [Theory]
    [InlineData(OAuthClientOptions.TestClientId, "wrong-secret")]
    [InlineData("nobody", OAuthClientOptions.TestClientSecret)]
    [InlineData(OAuthClientOptions.TestClientId, null)]
    public async Task BadClientCredentialsAre401AndLeaveTheCodeUnspent(string clientId, string? clientSecret)
    {
        var ct = TestContext.Current.CancellationToken;
        var code = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);

        var (refused, body) = await oauth.TokenAsync(new
        {
            grant_type = "authorization_code",
            client_id = clientId,
            client_secret = clientSecret,
            code,
            redirect_uri = OAuthClientOptions.TestRedirectUri,
        }, ct);
        var (accepted, _) = await oauth.ExchangeAsync(code, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("access_denied", body.Text("error"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task CodeOfAnotherAppIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var code = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);

        var (response, body) = await oauth.TokenAsync(new
        {
            grant_type = "authorization_code",
            client_id = OAuthFixture.OtherClientId,
            client_secret = OAuthFixture.OtherClientSecret,
            code,
            redirect_uri = OAuthFixture.OtherRedirectUri,
        }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("invalid_grant", body.Text("error"));
    }

    [Fact]
    public async Task NoRefreshTokenWithoutOfflineAccess()
    {
        var tokens = await oauth.ConnectAsync("read:jira-work read:jira-user", TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrEmpty(tokens.Text("access_token")));
        Assert.Equal("read:jira-work read:jira-user", tokens.Text("scope"));
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task FormEncodedExchangeIsAcceptedToo()
    {
        var ct = TestContext.Current.CancellationToken;
        var code = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work offline_access"), ct);
        using var client = oauth.CreateAnonymousClient();

        using var response = await client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = OAuthClientOptions.TestClientId,
            ["client_secret"] = OAuthClientOptions.TestClientSecret,
            ["code"] = code,
            ["redirect_uri"] = OAuthClientOptions.TestRedirectUri,
        }), ct);
        var body = await response.ReadJsonAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body.Text("refresh_token")));
    }

    [Theory]
    [InlineData("""{"grant_type":"client_credentials","client_id":"sim-oauth-client","client_secret":"sim-oauth-client-secret"}""", "unsupported_grant_type")]
    [InlineData("""{"grant_type":"authorization_code","client_id":"sim-oauth-client","client_secret":"sim-oauth-client-secret"}""", "invalid_request")]
    [InlineData("""{"client_id":"sim-oauth-client","client_secret":"sim-oauth-client-secret"}""", "invalid_request")]
    [InlineData("""{"grant_type":42}""", "invalid_request")]
    [InlineData("not json", "invalid_request")]
    public async Task MalformedRequestsAre400(string json, string error)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = oauth.CreateAnonymousClient();

        using var response = await client.PostAsync("/oauth/token", new StringContent(json, Encoding.UTF8, "application/json"), ct);
        var body = await response.ReadJsonAsync(ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, body.Text("error"));
    }

    [Fact]
    public async Task CodeExpiresAfterTenMinutes()
    {
        var ct = TestContext.Current.CancellationToken;
        var fresh = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);
        var stale = await oauth.AuthorizeForCodeAsync(OAuthFixture.AuthorizeUrl("read:jira-work"), ct);
        var (inTime, _) = await oauth.ExchangeAsync(fresh, ct);

        oauth.Clock.Advance(TimeSpan.FromMinutes(10));
        var (late, body) = await oauth.ExchangeAsync(stale, ct);

        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Equal("invalid_grant", body.Text("error"));
    }
}
