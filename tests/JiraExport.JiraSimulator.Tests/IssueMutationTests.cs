using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>
/// The <c>/_simulator/issues</c> test controls. They change the site, so this class has a simulator of its own
/// (a class fixture is built per test class), and each test changes a different project, so their order does not matter.
/// </summary>
public sealed class IssueMutationTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task TransitionChangesStatusStampsUpdatedAndAppendsAStatusHistory()
    {
        using var client = simulator.CreateClient();
        const string key = "ALPHA-10";
        var (_, before) = await client.GetJsonAsync($"/rest/api/3/issue/{key}", TestContext.Current.CancellationToken);
        var oldStatus = before.GetProperty("fields").GetProperty("status");
        var target = oldStatus.GetProperty("name").GetString() == "Done" ? "In Progress" : "Done";
        var historiesBefore = await client.ReadChangelogAsync(key, TestContext.Current.CancellationToken);
        Assert.Empty(await client.SearchKeysAsync($"key = {key} AND updated >= -5m", TestContext.Current.CancellationToken));

        var (response, answer) = await client.PostJsonAsync($"/_simulator/issues/{key}/transition", new { status = target }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, after) = await client.GetJsonAsync($"/rest/api/3/issue/{key}", TestContext.Current.CancellationToken);
        var newStatus = after.GetProperty("fields").GetProperty("status");
        Assert.Equal(target, newStatus.GetProperty("name").GetString());
        var updated = JiraResponses.ParseJiraDate(after.GetProperty("fields").GetProperty("updated").GetString()!);
        Assert.InRange(updated, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(after.GetProperty("fields").GetProperty("updated").GetString(), answer.GetProperty("updated").GetString());

        var historiesAfter = await client.ReadChangelogAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(historiesBefore.Count + 1, historiesAfter.Count);
        var change = Assert.Single(historiesAfter[^1].GetProperty("items").EnumerateArray());
        Assert.Equal("status", change.GetProperty("field").GetString());
        Assert.Equal(oldStatus.Id(), change.GetProperty("from").GetString());
        Assert.Equal(newStatus.Id(), change.GetProperty("to").GetString());
        Assert.Equal(updated, historiesAfter[^1].Created());
        Assert.DoesNotContain(historiesAfter[^1].Id(), historiesBefore.Select(h => h.Id()));

        Assert.Equal([key], await client.SearchKeysAsync($"key = {key} AND updated >= -5m", TestContext.Current.CancellationToken));
        Assert.Equal([key], await client.SearchKeysAsync($"key = {key} AND status = \"{target}\"", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TransitionToAnUnknownStatusOrIssueIsRefused()
    {
        using var client = simulator.CreateClient();

        var (badStatus, _) = await client.PostJsonAsync("/_simulator/issues/ALPHA-11/transition", new { status = "Reopened" }, TestContext.Current.CancellationToken);
        var (badIssue, _) = await client.PostJsonAsync("/_simulator/issues/ALPHA-99999/transition", new { status = "Done" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badIssue.StatusCode);
    }

    [Fact]
    public async Task EditChangesTheSummaryAndRecordsIt()
    {
        using var client = simulator.CreateClient();
        const string key = "ALPHA-20";
        var (_, before) = await client.GetJsonAsync($"/rest/api/3/issue/{key}?fields=summary", TestContext.Current.CancellationToken);

        var (response, _) = await client.PostJsonAsync($"/_simulator/issues/{key}/edit", new { summary = "Переименовано: edited by a test" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, after) = await client.GetJsonAsync($"/rest/api/3/issue/{key}?fields=summary", TestContext.Current.CancellationToken);
        Assert.Equal("Переименовано: edited by a test", after.GetProperty("fields").GetProperty("summary").GetString());
        var change = (await client.ReadChangelogAsync(key, TestContext.Current.CancellationToken))[^1].GetProperty("items")[0];
        Assert.Equal("summary", change.GetProperty("field").GetString());
        Assert.Equal(before.GetProperty("fields").GetProperty("summary").GetString(), change.GetProperty("fromString").GetString());
        Assert.Equal("Переименовано: edited by a test", change.GetProperty("toString").GetString());
    }

    [Fact]
    public async Task CreatedIssueTakesTheNextKeyAndIsFoundBySearch()
    {
        using var client = simulator.CreateClient();

        var (response, created) = await client.PostJsonAsync("/_simulator/issues", new { project = "BETA", summary = "Created by IssueMutationTests" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("BETA-1501", created.Key());
        Assert.True(int.Parse(created.Id(), System.Globalization.CultureInfo.InvariantCulture) >= 15000, $"id {created.Id()} belongs to the seed");
        Assert.Equal(["BETA-1501"], await client.SearchKeysAsync("project = BETA AND summary ~ \"IssueMutationTests\"", TestContext.Current.CancellationToken));
        var (_, count) = await client.PostJsonAsync("/rest/api/3/search/approximate-count", new { jql = "project = BETA" }, TestContext.Current.CancellationToken);
        Assert.Equal(1501, count.GetProperty("count").GetInt32());
        var (_, issue) = await client.GetJsonAsync("/rest/api/3/issue/BETA-1501", TestContext.Current.CancellationToken);
        Assert.Equal("To Do", issue.GetProperty("fields").GetProperty("status").GetProperty("name").GetString());
        Assert.Equal(issue.GetProperty("fields").GetProperty("created").GetString(), issue.GetProperty("fields").GetProperty("updated").GetString());
    }

    [Fact]
    public async Task DeletedIssuesIdAndKeyAreNeverGivenToANewIssue()
    {
        // Jira never reuses either; a sync that saw an issue deleted must not see it come back as another one.
        using var client = simulator.CreateClient();
        var (_, first) = await client.PostJsonAsync("/_simulator/issues", new { project = "ALPHA", summary = "Short-lived" }, TestContext.Current.CancellationToken);
        var deleted = await client.DeleteAsync($"/_simulator/issues/{first.Key()}", TestContext.Current.CancellationToken);

        var (_, second) = await client.PostJsonAsync("/_simulator/issues", new { project = "ALPHA", summary = "Successor" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.NotEqual(first.Id(), second.Id());
        Assert.NotEqual(first.Key(), second.Key());
    }

    [Fact]
    public async Task CreateInAnUnknownProjectIsRefused()
    {
        using var client = simulator.CreateClient();

        var (response, _) = await client.PostJsonAsync("/_simulator/issues", new { project = "NOPE", summary = "x" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DeletedIssueIsGoneFromGetSearchAndBulkFetch()
    {
        using var client = simulator.CreateClient();

        var deleted = await client.DeleteAsync("/_simulator/issues/DELTA-7", TestContext.Current.CancellationToken);
        var again = await client.DeleteAsync("/_simulator/issues/DELTA-7", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var (get, _) = await client.GetJsonAsync("/rest/api/3/issue/DELTA-7", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.DoesNotContain("DELTA-7", await client.SearchKeysAsync("project = DELTA ORDER BY key", TestContext.Current.CancellationToken));
        var (_, count) = await client.PostJsonAsync("/rest/api/3/search/approximate-count", new { jql = "project = DELTA" }, TestContext.Current.CancellationToken);
        Assert.Equal(499, count.GetProperty("count").GetInt32());
        var (_, bulk) = await client.PostJsonAsync("/rest/api/3/issue/bulkfetch", new { issueIdsOrKeys = new[] { "DELTA-6", "DELTA-7", "DELTA-8" } }, TestContext.Current.CancellationToken);
        Assert.Equal(["DELTA-6", "DELTA-8"], bulk.GetProperty("issues").EnumerateArray().Select(i => i.Key()));
    }

    [Fact]
    public async Task TouchEditsExactlyTheRequestedNumberOfMatchingIssues()
    {
        using var client = simulator.CreateClient();

        var (response, answer) = await client.PostJsonAsync("/_simulator/issues/touch", new { jql = "project = GAMMA", count = 5 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, answer.GetProperty("updated").GetInt32());
        var touched = await client.SearchKeysAsync("project = GAMMA AND updated >= -5m", TestContext.Current.CancellationToken);
        Assert.Equal(5, touched.Count);
        foreach (var key in touched)
        {
            var (_, issue) = await client.GetJsonAsync($"/rest/api/3/issue/{key}?fields=summary", TestContext.Current.CancellationToken);
            Assert.EndsWith("(edited)", issue.GetProperty("fields").GetProperty("summary").GetString(), StringComparison.Ordinal);
            var last = (await client.ReadChangelogAsync(key, TestContext.Current.CancellationToken))[^1];
            Assert.Equal("summary", last.GetProperty("items")[0].GetProperty("field").GetString());
        }
    }
}
