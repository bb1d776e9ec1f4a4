using System.Net;
using JiraExport.JiraSimulator.OAuth;

namespace JiraExport.JiraSimulator.Tests.OAuth;

/// <summary>Refresh-token rotation and the lifetimes of API-NOTES §3, on a clock the tests move.</summary>
public sealed class OAuthRefreshTests(OAuthFixture oauth) : IClassFixture<OAuthFixture>
{
    private const string Scope = "read:jira-work read:jira-user offline_access";

    [Fact]
    public async Task EachRefreshRotatesAndARotatedTokenIsRefusedAsReuse()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await oauth.ConnectAsync(Scope, ct);
        var before = await oauth.StatsAsync(ct);

        var (rotated, second) = await oauth.RefreshAsync(first.Text("refresh_token"), ct);
        var (reused, refusal) = await oauth.RefreshAsync(first.Text("refresh_token"), ct);
        var (again, third) = await oauth.RefreshAsync(second.Text("refresh_token"), ct);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(first.Text("refresh_token"), second.Text("refresh_token"));
        Assert.NotEqual(first.Text("access_token"), second.Text("access_token"));
        Assert.Equal(Scope, second.Text("scope"));
        Assert.Equal(3600, second.GetProperty("expires_in").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, reused.StatusCode);
        Assert.Equal("invalid_grant", refusal.Text("error"));
        Assert.Equal("Unknown or invalid refresh token.", refusal.Text("error_description"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(second.Text("refresh_token"), third.Text("refresh_token"));

        var after = await oauth.StatsAsync(ct);
        Assert.Equal(before.Count("refreshes") + 2, after.Count("refreshes"));
        Assert.Equal(before.Count("refreshTokenReuses") + 1, after.Count("refreshTokenReuses"));
        Assert.Equal(before.Count("tokensIssued") + 2, after.Count("tokensIssued"));
    }

    [Fact]
    public async Task RefreshedAccessTokenReachesTheGateway()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await oauth.ConnectAsync(Scope, ct);
        var (_, refreshed) = await oauth.RefreshAsync(first.Text("refresh_token"), ct);
        using var api = oauth.CreateBearerClient(refreshed.Text("access_token"));

        var response = await api.GetAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownTokenIsRefusedButNotCountedAsReuse()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await oauth.StatsAsync(ct);

        var (response, body) = await oauth.RefreshAsync("sim-rt-made-up", ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("invalid_grant", body.Text("error"));
        Assert.Equal(before.Count("refreshTokenReuses"), (await oauth.StatsAsync(ct)).Count("refreshTokenReuses"));
    }

    [Fact]
    public async Task AnotherAppCannotSpendTheRefreshToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = await oauth.ConnectAsync(Scope, ct);

        var (stolen, _) = await oauth.TokenAsync(new
        {
            grant_type = "refresh_token",
            client_id = OAuthFixture.OtherClientId,
            client_secret = OAuthFixture.OtherClientSecret,
            refresh_token = tokens.Text("refresh_token"),
        }, ct);
        var (own, _) = await oauth.RefreshAsync(tokens.Text("refresh_token"), ct);

        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task AccessTokenExpiresAfterItsHourAndARefreshBringsAccessBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = await oauth.ConnectAsync(Scope, ct);
        using var api = oauth.CreateBearerClient(tokens.Text("access_token"));
        var justBefore = TimeSpan.FromSeconds(tokens.GetProperty("expires_in").GetInt32()) - TimeSpan.FromSeconds(1);

        oauth.Clock.Advance(justBefore);
        var (stillValid, _) = await api.GetJsonAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);
        oauth.Clock.Advance(TimeSpan.FromSeconds(1));
        var (expired, _) = await api.GetJsonAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);
        var (expiredResources, _) = await api.GetJsonAsync("/oauth/token/accessible-resources", ct);
        var (_, refreshed) = await oauth.RefreshAsync(tokens.Text("refresh_token"), ct);
        using var renewed = oauth.CreateBearerClient(refreshed.Text("access_token"));
        var (afterRefresh, _) = await renewed.GetJsonAsync(OAuthFixture.Gateway("/rest/api/3/myself"), ct);

        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredResources.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRefresh.StatusCode);
    }

    [Fact]
    public async Task RefreshTokenDiesAfter90IdleDays()
    {
        var ct = TestContext.Current.CancellationToken;
        var idle = await oauth.ConnectAsync(Scope, ct);
        var active = await oauth.ConnectAsync(Scope, ct);

        oauth.Clock.Advance(TimeSpan.FromDays(89));
        var (kept, _) = await oauth.RefreshAsync(active.Text("refresh_token"), ct);
        oauth.Clock.Advance(TimeSpan.FromDays(1));
        var (lapsed, body) = await oauth.RefreshAsync(idle.Text("refresh_token"), ct);

        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, lapsed.StatusCode);
        Assert.Equal("invalid_grant", body.Text("error"));
    }

    [Fact]
    public async Task RegularRefreshesLastNoLongerThan365DaysFromConsent()
    {
        var ct = TestContext.Current.CancellationToken;
        var refreshToken = (await oauth.ConnectAsync(Scope, ct)).Text("refresh_token");

        // Four refreshes 89 days apart keep the grant alive to day 356, never 90 days idle.
        for (var i = 0; i < 4; i++)
        {
            oauth.Clock.Advance(TimeSpan.FromDays(89));
            var (response, body) = await oauth.RefreshAsync(refreshToken, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            refreshToken = body.Text("refresh_token");
        }

        oauth.Clock.Advance(TimeSpan.FromDays(9));
        var (expired, refusal) = await oauth.RefreshAsync(refreshToken, ct);

        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("invalid_grant", refusal.Text("error"));
    }
}
