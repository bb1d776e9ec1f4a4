using System.Net;
using System.Text.Json;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>/issuetype</c>, <c>/status</c>, <c>/statuscategory</c>, <c>/priority</c> and <c>/priority/search</c> list the catalog.</summary>
public sealed class WorkflowCatalogTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task IssueTypesAreTheCatalogs(int version)
    {
        var types = await GetArrayAsync($"/rest/api/{version}/issuetype");

        Assert.Equal(JiraCatalog.IssueTypes.Select(t => (t.Id, t.Name)), types.Select(t => (t.Id(), t.GetProperty("name").GetString()!)));
        Assert.All(types, t => Assert.EndsWith($"/rest/api/{version}/issuetype/{t.Id()}", t.GetProperty("self").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task StatusesAreTheCatalogsWithTheirCategories(int version)
    {
        var statuses = await GetArrayAsync($"/rest/api/{version}/status");

        Assert.Equal(
            JiraCatalog.Statuses.Select(s => (s.Id, s.Name, s.Category.Key)),
            statuses.Select(s => (s.Id(), s.GetProperty("name").GetString()!, s.GetProperty("statusCategory").GetProperty("key").GetString()!)));
    }

    [Fact]
    public async Task StatusCategoriesIncludeJirasUndefinedOne()
    {
        var categories = await GetArrayAsync("/rest/api/3/statuscategory");

        Assert.Equal(["undefined", "new", "indeterminate", "done"], categories.Select(c => c.GetProperty("key").GetString()));
        var undefined = categories[0];
        Assert.Equal((1, "medium-gray", "No Category"),
            (undefined.GetProperty("id").GetInt32(), undefined.GetProperty("colorName").GetString(), undefined.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task PrioritiesAreTheCatalogsWithColours(int version)
    {
        var priorities = await GetArrayAsync($"/rest/api/{version}/priority");

        Assert.Equal(JiraCatalog.Priorities.Select(p => (p.Id, p.Name, p.StatusColor)),
            priorities.Select(p => (p.Id(), p.GetProperty("name").GetString()!, p.GetProperty("statusColor").GetString()!)));
    }

    [Fact]
    public async Task PrioritySearchPagesAndMarksMediumAsDefault()
    {
        using var client = simulator.CreateClient();

        var (_, first) = await client.GetJsonAsync("/rest/api/3/priority/search?maxResults=2", TestContext.Current.CancellationToken);
        var (_, onlyDefault) = await client.GetJsonAsync("/rest/api/3/priority/search?onlyDefault=true", TestContext.Current.CancellationToken);

        Assert.Equal((5, false, 2), (first.GetProperty("total").GetInt32(), first.GetProperty("isLast").GetBoolean(), first.GetProperty("values").GetArrayLength()));
        Assert.Contains("startAt=2", first.GetProperty("nextPage").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Medium"], onlyDefault.GetProperty("values").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(onlyDefault.GetProperty("values")[0].GetProperty("isDefault").GetBoolean());
    }

    private async Task<List<JsonElement>> GetArrayAsync(string path)
    {
        using var client = simulator.CreateClient();
        var (response, body) = await client.GetJsonAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. body.EnumerateArray()];
    }
}
