using System.Net;
using System.Text.Json;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>GET /project/search</c> and <c>/project/{projectIdOrKey}</c>: the four seeded projects, paged and filtered.</summary>
public sealed class ProjectCatalogTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task NextPageLeadsThroughAllFourProjectsInKeyOrder(int version)
    {
        using var client = simulator.CreateClient();

        var (firstResponse, first) = await client.GetJsonAsync($"/rest/api/{version}/project/search?maxResults=3", TestContext.Current.CancellationToken);
        var (_, second) = await client.GetJsonAsync(first.GetProperty("nextPage").GetString()!, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal((4, 3, false), (first.GetProperty("total").GetInt32(), first.GetProperty("maxResults").GetInt32(), first.GetProperty("isLast").GetBoolean()));
        Assert.Equal((3, true), (second.GetProperty("startAt").GetInt32(), second.GetProperty("isLast").GetBoolean()));
        Assert.False(second.TryGetProperty("nextPage", out _));
        Assert.Equal(["ALPHA", "BETA", "DELTA", "GAMMA"], [.. Keys(first), .. Keys(second)]);
    }

    [Fact]
    public async Task KeysFilterTakesRepeatedAndCommaSeparatedKeysAndNextPageKeepsIt()
    {
        using var client = simulator.CreateClient();

        var (_, first) = await client.GetJsonAsync("/rest/api/3/project/search?keys=BETA&keys=delta,GAMMA&maxResults=2", TestContext.Current.CancellationToken);
        var (_, second) = await client.GetJsonAsync(first.GetProperty("nextPage").GetString()!, TestContext.Current.CancellationToken);

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(["BETA", "DELTA", "GAMMA"], [.. Keys(first), .. Keys(second)]);
    }

    [Theory]
    [InlineData("ta", new[] { "BETA", "DELTA" })]
    [InlineData("MOBILE", new[] { "BETA" })]
    [InlineData("nothing", new string[0])]
    public async Task QueryMatchesKeyOrNameInAnyCase(string query, string[] expected)
    {
        using var client = simulator.CreateClient();

        var (_, page) = await client.GetJsonAsync($"/rest/api/3/project/search?query={query}", TestContext.Current.CancellationToken);

        Assert.Equal(expected, Keys(page));
        Assert.Equal(expected.Length, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task OrderByMinusNameSortsNamesDescendingAndUnknownOrderIsRefused()
    {
        using var client = simulator.CreateClient();

        var (_, page) = await client.GetJsonAsync("/rest/api/3/project/search?orderBy=-name", TestContext.Current.CancellationToken);
        var (refused, _) = await client.GetJsonAsync("/rest/api/3/project/search?orderBy=colour", TestContext.Current.CancellationToken);

        Assert.Equal(["GAMMA", "DELTA", "BETA", "ALPHA"], Keys(page));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task DescriptionAndLeadComeOnlyWhenExpanded()
    {
        using var client = simulator.CreateClient();

        var (_, plain) = await client.GetJsonAsync("/rest/api/3/project/search", TestContext.Current.CancellationToken);
        var (_, expanded) = await client.GetJsonAsync("/rest/api/3/project/search?expand=description,lead", TestContext.Current.CancellationToken);

        Assert.All(plain.GetProperty("values").EnumerateArray(), p => Assert.False(p.TryGetProperty("lead", out _) || p.TryGetProperty("description", out _)));
        Assert.All(expanded.GetProperty("values").EnumerateArray(), p =>
        {
            Assert.False(string.IsNullOrEmpty(p.GetProperty("description").GetString()));
            Assert.Equal(JiraCatalog.Admin.AccountId, p.GetProperty("lead").GetProperty("accountId").GetString());
        });
    }

    [Theory]
    [InlineData("BETA")]
    [InlineData("beta")]
    [InlineData("10001")]
    public async Task ProjectIsFoundByKeyInAnyCaseOrById(string idOrKey)
    {
        using var client = simulator.CreateClient();

        var (response, project) = await client.GetJsonAsync($"/rest/api/3/project/{idOrKey}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("10001", "BETA", "Beta Mobile"), (project.Id(), project.Key(), project.GetProperty("name").GetString()));
        Assert.Equal(JiraCatalog.IssueTypes.Count, project.GetProperty("issueTypes").GetArrayLength());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task UnknownProjectIsNotFoundWithJirasErrorBody(int version)
    {
        using var client = simulator.CreateClient();

        var (response, body) = await client.GetJsonAsync($"/rest/api/{version}/project/NOPE", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["No project could be found with key 'NOPE'."], body.ErrorMessages());
    }

    private static string[] Keys(JsonElement page) => [.. page.GetProperty("values").EnumerateArray().Select(p => p.Key())];
}
