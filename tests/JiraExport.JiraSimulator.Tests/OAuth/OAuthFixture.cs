using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using JiraExport.JiraSimulator.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.JiraSimulator.Tests.OAuth;

/// <summary>
/// A simulator whose clock the tests move, with a second OAuth app beside the test app, and the steps of the 3LO flow
/// as a client takes them. Each test class gets its own, so moving the clock touches no other class.
/// </summary>
public sealed class OAuthFixture : SimulatorFixture
{
    public const string CloudId = JiraSimulatorOptions.DefaultCloudId;
    public const string OtherClientId = "other-app";
    public const string OtherClientSecret = "other-app-secret";

    /// <summary>A callback with a query of its own, which the code and state must be added to, not replace.</summary>
    public const string OtherRedirectUri = "https://app.example.test/jira/callback?tenant=acme";

    public OAuthFixture()
        : this(new ManualTimeProvider())
    {
    }

    private OAuthFixture(ManualTimeProvider clock)
        : base(
            o => o.OAuthClients.Add(new OAuthClientOptions
            {
                ClientId = OtherClientId,
                ClientSecret = OtherClientSecret,
                RedirectUris = [OtherRedirectUri],
            }),
            services => services.AddSingleton<TimeProvider>(clock))
        => Clock = clock;

    public ManualTimeProvider Clock { get; }

    /// <summary>The site path as reached through api.atlassian.com's gateway.</summary>
    public static string Gateway(string sitePath) => $"/ex/jira/{CloudId}{sitePath}";

    public static string AuthorizeUrl(
        string scope,
        string state = "state-1",
        string clientId = OAuthClientOptions.TestClientId,
        string redirectUri = OAuthClientOptions.TestRedirectUri,
        string responseType = "code",
        string audience = "api.atlassian.com") =>
        QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["audience"] = audience,
            ["client_id"] = clientId,
            ["scope"] = scope,
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["response_type"] = responseType,
            ["prompt"] = "consent",
        });

    public static Dictionary<string, string> Query(Uri location) =>
        QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>A client that, like a browser's first hop, shows redirects instead of following them.</summary>
    public HttpClient CreateBrowser() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public HttpClient CreateBearerClient(string accessToken) => CreateClient(new AuthenticationHeaderValue("Bearer", accessToken));

    /// <summary>Follows <paramref name="authorizeUrl"/> and returns the code from the redirect, failing if there is none.</summary>
    public async Task<string> AuthorizeForCodeAsync(string authorizeUrl, CancellationToken cancellationToken)
    {
        using var browser = CreateBrowser();
        using var response = await browser.GetAsync(authorizeUrl, cancellationToken);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var query = Query(response.Headers.Location!);
        Assert.True(query.TryGetValue("code", out var code), $"No code in {response.Headers.Location}");
        return code;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> TokenAsync(object body, CancellationToken cancellationToken)
    {
        using var client = CreateAnonymousClient();
        return await client.PostJsonAsync("/oauth/token", body, cancellationToken);
    }

    public Task<(HttpResponseMessage Response, JsonElement Body)> ExchangeAsync(string code, CancellationToken cancellationToken) =>
        TokenAsync(new
        {
            grant_type = "authorization_code",
            client_id = OAuthClientOptions.TestClientId,
            client_secret = OAuthClientOptions.TestClientSecret,
            code,
            redirect_uri = OAuthClientOptions.TestRedirectUri,
        }, cancellationToken);

    public Task<(HttpResponseMessage Response, JsonElement Body)> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        TokenAsync(new
        {
            grant_type = "refresh_token",
            client_id = OAuthClientOptions.TestClientId,
            client_secret = OAuthClientOptions.TestClientSecret,
            refresh_token = refreshToken,
        }, cancellationToken);

    /// <summary>Authorize and exchange: the token answer of a fresh consent to <paramref name="scope"/> by the test app.</summary>
    public async Task<JsonElement> ConnectAsync(string scope, CancellationToken cancellationToken)
    {
        var code = await AuthorizeForCodeAsync(AuthorizeUrl(scope), cancellationToken);
        var (response, body) = await ExchangeAsync(code, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body;
    }

    public async Task<JsonElement> StatsAsync(CancellationToken cancellationToken)
    {
        using var client = CreateAnonymousClient();
        var (_, body) = await client.GetJsonAsync("/_simulator/oauth/stats", cancellationToken);
        return body;
    }
}

internal static class OAuthJsonExtensions
{
    public static string Text(this JsonElement body, string property) => body.GetProperty(property).GetString()!;

    public static long Count(this JsonElement stats, string property) => stats.GetProperty(property).GetInt64();
}
