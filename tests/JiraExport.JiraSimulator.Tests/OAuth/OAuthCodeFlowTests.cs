using System.Net;
using System.Net.Http.Json;
using JiraExport.JiraSimulator.OAuth;

namespace JiraExport.JiraSimulator.Tests.OAuth;

/// <summary>The whole 3LO flow as a client walks it, and the gateway it ends at.</summary>
public sealed class OAuthCodeFlowTests(OAuthFixture oauth) : IClassFixture<OAuthFixture>
{
    [Fact]
    public async Task CodeFlowEndsInAGatewayCallToMyself()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await oauth.StatsAsync(ct);
        using var browser = oauth.CreateBrowser();

        using var authorize = await browser.GetAsync(OAuthFixture.AuthorizeUrl("read:jira-work read:jira-user offline_access", state: "s-42"), ct);
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var location = authorize.Headers.Location!;
        Assert.StartsWith(OAuthClientOptions.TestRedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var query = OAuthFixture.Query(location);
        Assert.Equal("s-42", query["state"]);

        var (tokenResponse, tokens) = await oauth.ExchangeAsync(query["code"], ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal("Bearer", tokens.Text("token_type"));
        Assert.Equal(3600, tokens.GetProperty("expires_in").GetInt32());
        Assert.Equal("read:jira-work read:jira-user offline_access", tokens.Text("scope"));
        Assert.False(string.IsNullOrEmpty(tokens.Text("refresh_token")));
        Assert.True(tokenResponse.Headers.CacheControl?.NoStore);

        using var api = oauth.CreateBearerClient(tokens.Text("access_token"));
        var (resourcesResponse, resources) = await api.GetJsonAsync("/oauth/token/accessible-resources", ct);
        Assert.Equal(HttpStatusCode.OK, resourcesResponse.StatusCode);
        var site = Assert.Single(resources.EnumerateArray().ToArray());
        Assert.Equal(OAuthFixture.CloudId, site.Text("id"));
        Assert.Equal(oauth.BaseAddress.ToString().TrimEnd('/'), site.Text("url"));
        Assert.False(string.IsNullOrEmpty(site.Text("name")));
        Assert.False(string.IsNullOrEmpty(site.Text("avatarUrl")));
        Assert.Equal(["read:jira-work", "read:jira-user"], site.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var (myselfResponse, myself) = await api.GetJsonAsync($"/ex/jira/{site.Text("id")}/rest/api/3/myself", ct);
        Assert.Equal(HttpStatusCode.OK, myselfResponse.StatusCode);
        Assert.Equal("Demo Admin", myself.Text("displayName"));

        var after = await oauth.StatsAsync(ct);
        Assert.Equal(before.Count("codesIssued") + 1, after.Count("codesIssued"));
        Assert.Equal(before.Count("tokensIssued") + 1, after.Count("tokensIssued"));
    }

    [Fact]
    public async Task GatewayWithoutATokenAnswers401()
    {
        using var anonymous = oauth.CreateAnonymousClient();

        var (response, body) = await anonymous.GetJsonAsync(OAuthFixture.Gateway("/rest/api/3/myself"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
    }

    [Theory]
    [InlineData("/rest/api/2/myself", "/rest/api/2/")]
    [InlineData("/rest/api/3/issue/ALPHA-1", "/rest/api/3/issue/")]
    public async Task GatewayServesTheSiteApiWithSelfLinksThroughTheGateway(string sitePath, string selfPath)
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = await oauth.ConnectAsync("read:jira-work read:jira-user", ct);
        using var api = oauth.CreateBearerClient(tokens.Text("access_token"));

        var (response, body) = await api.GetJsonAsync(OAuthFixture.Gateway(sitePath), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(oauth.BaseAddress.ToString().TrimEnd('/') + OAuthFixture.Gateway(selfPath), body.Text("self"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ex/jira/00000000-0000-0000-0000-000000000000/rest/api/3/myself")]
    [InlineData("/ex/jira/" + OAuthFixture.CloudId + "/health")]
    [InlineData("/ex/jira")]
    public async Task GatewayKnowsOnlyTheSitesCloudIdAndItsRestApi(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = await oauth.ConnectAsync("read:jira-user", ct);
        using var api = oauth.CreateBearerClient(tokens.Text("access_token"));

        var response = await api.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Cloud takes OAuth tokens only through api.atlassian.com, and has no PATs there.</summary>
    [Fact]
    public async Task OAuthTokenIsRefusedOnTheSiteAndThePatThroughTheGateway()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = await oauth.ConnectAsync("read:jira-user", ct);
        using var oauthClient = oauth.CreateBearerClient(tokens.Text("access_token"));
        using var patClient = oauth.CreateBearerClient(SimulatorFixture.Pat);
        using var basicClient = oauth.CreateClient();

        var onSite = await oauthClient.GetAsync("/rest/api/3/myself", ct);
        var patThroughGateway = await patClient.GetAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);
        var basicThroughGateway = await basicClient.GetAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, onSite.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, patThroughGateway.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basicThroughGateway.StatusCode);
    }

    [Fact]
    public async Task FaultsApplyThroughTheGateway()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = await oauth.ConnectAsync("read:jira-user", ct);
        using var api = oauth.CreateBearerClient(tokens.Text("access_token"));
        using var control = oauth.CreateAnonymousClient();
        (await control.PostAsJsonAsync("/_simulator/faults", new { kind = "503", count = 1 }, ct)).EnsureSuccessStatusCode();

        var faulted = await api.GetAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);
        var next = await api.GetAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer " + SimulatorFixture.Pat)]
    public async Task AccessibleResourcesNeedsAnAccessToken(string? authorization)
    {
        using var client = oauth.CreateAnonymousClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var (response, body) = await client.GetJsonAsync("/oauth/token/accessible-resources", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, body.GetProperty("code").GetInt32());
    }
}
