using System.Net;
using System.Net.Http.Headers;

namespace JiraExport.JiraSimulator.Tests;

public sealed class AuthTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string NotAuthenticated = "You are not authenticated. Authentication required to perform this operation.";

    [Theory]
    [InlineData("/rest/api/3/myself")]
    [InlineData("/rest/api/2/myself")]
    public async Task BasicCredentialsReachMyself(string path)
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Demo Admin", body.GetProperty("displayName").GetString());
        Assert.Equal(SimulatorFixture.Email, body.GetProperty("emailAddress").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accountId").GetString()));
    }

    [Fact]
    public async Task BearerTokenReachesMyself()
    {
        using var client = simulator.CreateClient(new AuthenticationHeaderValue("Bearer", SimulatorFixture.Pat));

        var (response, _) = await client.GetJsonAsync("/rest/api/2/myself", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WrongBasicCredentialsAnswer401WithChallenge()
    {
        using var client = simulator.CreateClient(SimulatorFixture.Basic(SimulatorFixture.Email, "wrong-token"));

        var (response, body) = await client.GetJsonAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal([NotAuthenticated], body.ErrorMessages());
        Assert.Equal("AUTHENTICATED_FAILED", Assert.Single(response.Headers.GetValues("X-Seraph-LoginReason")));
    }

    [Fact]
    public async Task WrongBearerTokenAnswers401()
    {
        using var client = simulator.CreateClient(new AuthenticationHeaderValue("Bearer", "not-the-pat"));

        var (response, body) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql = "project = ALPHA" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([NotAuthenticated], body.ErrorMessages());
    }

    [Fact]
    public async Task MissingCredentialsAnswer401()
    {
        using var client = simulator.CreateAnonymousClient();

        var (response, _) = await client.GetJsonAsync("/rest/api/2/search?jql=project%3DALPHA", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task EmailIsCaseInsensitiveButTokenIsNot()
    {
        using var upperEmail = simulator.CreateClient(SimulatorFixture.Basic(SimulatorFixture.Email.ToUpperInvariant(), SimulatorFixture.ApiToken));
        using var upperToken = simulator.CreateClient(SimulatorFixture.Basic(SimulatorFixture.Email, SimulatorFixture.ApiToken.ToUpperInvariant()));

        var (ok, _) = await upperEmail.GetJsonAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);
        var (rejected, _) = await upperToken.GetJsonAsync("/rest/api/3/myself", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
    }

    [Fact]
    public async Task HealthNeedsNoCredentials()
    {
        using var client = simulator.CreateAnonymousClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ServerInfoReportsCloud()
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync("/rest/api/3/serverInfo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Cloud", body.GetProperty("deploymentType").GetString());
        Assert.Equal(simulator.BaseAddress.ToString().TrimEnd('/'), body.GetProperty("baseUrl").GetString());
    }
}
