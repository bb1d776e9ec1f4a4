using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Anonymous sign-in routes are throttled per client address, with the counts shared by every Api instance.</summary>
public sealed class ThrottlingTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const int Limit = 10;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PasswordSprayingFromOneAddressIsRefusedWith429AndRetryAfter()
    {
        await using var api = await StartThrottledApiAsync("spray");
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var attempt = 0; attempt < Limit + 5; attempt++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/token",
                new { email = $"person{attempt}@spray.example", password = "Summer2026 password" }, Token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        Assert.Equal(Limit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.True(refused!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GuessingTheAdminKeyOnAClosedSignupIsThrottledLikeAPassword()
    {
        // The key is checked before the request's rules (middleware), but never before the address's allowance.
        await using var api = await StartThrottledApiAsync("admin-key");
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < Limit + 5; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/signup")
            {
                Content = JsonContent.Create(new { tenantName = "Guess", slug = $"guess-{attempt}", email = "a@guess.example", password = "correct horse battery staple" }),
            };
            request.Headers.Add("X-Admin-Key", $"guess-{attempt}-0123456789abcdef");
            using var response = await client.SendAsync(request, Token);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Limit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task TheAddressLimitHoldsAcrossApiInstances()
    {
        await using var first = await StartThrottledApiAsync("shared");
        await using var second = await StartThrottledApiAsync("shared");

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < Limit + 2; attempt++)
        {
            using var client = new HttpClient { BaseAddress = (attempt % 2 == 0 ? first : second).BaseAddress };
            using var response = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "jxr_not-a-token" }, Token);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Limit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task AForgedForwardedForHeaderDoesNotBuyAFreshAllowance()
    {
        // Containers run with ASPNETCORE_FORWARDEDHEADERS_ENABLED, which by itself trusts X-Forwarded-For from anyone.
        await using var api = await StartThrottledApiAsync("forwarded", ("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true"));
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < Limit + 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
            {
                Content = JsonContent.Create(new { email = $"person{attempt}@spray.example", password = "Summer2026 password" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{attempt + 1}");
            using var response = await client.SendAsync(request, Token);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task SamlCallsFromOneAddressCannotFloodRedisOrTheTenantsSecurityLog()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        using var idp = new TestSamlIdentityProvider();
        await owner.ConfigureSamlAsync(idp, Token);

        // Each login call stores an outstanding request in Redis for ten minutes: only the address's allowance gets through.
        await using (var api = await StartThrottledApiAsync("saml-login"))
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress })
        {
            var logins = new List<HttpStatusCode>();
            for (var call = 0; call < Limit + 5; call++)
            {
                using var response = await browser.GetAsync($"/api/v1/sso/saml/{account.Slug}/login", Token);
                logins.Add(response.StatusCode);
            }

            Assert.Equal((Limit, 5), (logins.Count(s => s == HttpStatusCode.Redirect), logins.Count(s => s == HttpStatusCode.TooManyRequests)));
        }

        // Each refused answer writes a security event into the tenant's log: as many as the allowance, no more.
        await using (var api = await StartThrottledApiAsync("saml-acs"))
        using (var poster = new HttpClient { BaseAddress = api.BaseAddress })
        {
            for (var call = 0; call < Limit + 5; call++)
            {
                using var response = await poster.PostAsync($"/api/v1/sso/saml/{account.Slug}/acs",
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["SAMLResponse"] = "bm90IGEgcmVzcG9uc2U=" }), Token);
                Assert.True(call < Limit ? response.StatusCode != HttpStatusCode.TooManyRequests : response.StatusCode == HttpStatusCode.TooManyRequests,
                    $"call {call + 1}: {response.StatusCode}");
            }
        }

        var events = await owner.GetStringAsync("/api/v1/security-events?limit=100", Token);
        Assert.Equal(Limit, System.Text.RegularExpressions.Regex.Count(events, "\"sso.failed\""));
    }

    [Fact]
    public async Task SignedInRequestsAreNotCountedAgainstTheAnonymousLimit()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var api = await StartThrottledApiAsync("principal");
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        for (var request = 0; request < Limit * 2; request++)
        {
            using var response = await client.GetAsync("/api/v1/connections", Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>
    /// An Api with the address limit lowered to <see cref="Limit"/>. Apis started with the same <paramref name="counters"/>
    /// share their counts (one Redis prefix); each test names its own.
    /// </summary>
    private async Task<ServiceProcess> StartThrottledApiAsync(string counters, params (string Name, string Value)[] settings)
    {
        var environment = system.ApiEnvironment();
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        environment["Throttling__AnonymousPerAddressPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Auth__RedisKeyPrefix"] = $"{environment["Auth__RedisKeyPrefix"]}-{counters}-{_run}";
        return await ServiceProcess.StartAsync("JiraExport.Api", environment, Token);
    }

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
}
