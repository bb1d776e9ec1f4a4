using System.Net;
using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>Jira serves <c>/rest/api/latest</c> as version 2: what a third-party client (Lighthouse) calls answers as v2 does.</summary>
public sealed class LatestApiVersionTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("field")]
    [InlineData("serverInfo")]
    [InlineData("status")]
    [InlineData("search?jql=project%20%3D%20ALPHA%20ORDER%20BY%20key&maxResults=2")]
    [InlineData("issue/ALPHA-1/changelog")]
    public async Task LatestAnswersAsVersionTwo(string path)
    {
        using var client = simulator.CreateClient();

        using var latest = await client.GetAsync($"/rest/api/latest/{path}", TestContext.Current.CancellationToken);
        using var two = await client.GetAsync($"/rest/api/2/{path}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal(await WithoutClockAsync(two), await WithoutClockAsync(latest));
    }

    /// <summary>The answer without <c>serverTime</c>, the one thing that differs between two calls.</summary>
    private static async Task<string> WithoutClockAsync(HttpResponseMessage response)
    {
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        if (json is JsonObject answer)
        {
            answer.Remove("serverTime");
        }

        return json.ToJsonString();
    }
}
