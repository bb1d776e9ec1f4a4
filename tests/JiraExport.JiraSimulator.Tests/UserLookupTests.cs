using System.Net;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>GET /users/search</c> lists every account page by page; <c>/user?accountId=</c> finds one or answers 404.</summary>
public sealed class UserLookupTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task UserSearchPagesThroughTheAdminAndEveryCatalogUser()
    {
        using var client = simulator.CreateClient();
        var accountIds = new List<string>();
        for (var startAt = 0; ; startAt += 4)
        {
            var (response, page) = await client.GetJsonAsync($"/rest/api/3/users/search?startAt={startAt}&maxResults=4", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            accountIds.AddRange(page.EnumerateArray().Select(u => u.GetProperty("accountId").GetString()!));
            if (page.GetArrayLength() < 4)
            {
                break;
            }
        }

        Assert.Equal([JiraCatalog.Admin.AccountId, .. JiraCatalog.Users.Select(u => u.AccountId)], accountIds);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public async Task UserIsFoundByAccountIdWithDataCenterNamesOnlyInV2(int version, bool hasName)
    {
        using var client = simulator.CreateClient();
        var wanted = JiraCatalog.Users[2];

        var (response, user) = await client.GetJsonAsync($"/rest/api/{version}/user?accountId={wanted.AccountId}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((wanted.AccountId, wanted.DisplayName), (user.GetProperty("accountId").GetString(), user.GetProperty("displayName").GetString()));
        Assert.Equal(hasName, user.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task UnknownAccountIsNotFoundAndAMissingOneIsABadRequest()
    {
        using var client = simulator.CreateClient();

        var (unknown, body) = await client.GetJsonAsync("/rest/api/3/user?accountId=000000000000000000000000", TestContext.Current.CancellationToken);
        var (missing, _) = await client.GetJsonAsync("/rest/api/3/user", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
