using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>POST /changelog/bulkfetch</c>: many issues' histories, oldest first by date then issue id, paged by token.</summary>
public sealed class BulkChangelogTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string BulkPath = "/rest/api/3/changelog/bulkfetch";

    private static readonly string[] Issues = ["BETA-7", ChangelogTests.LongHistoryIssueId, "ALPHA-3", "GAMMA-11", "DELTA-5"];

    [Fact]
    public async Task EveryHistoryArrivesOnceAcrossPagesInDateThenIssueOrder()
    {
        using var client = simulator.CreateClient();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var issue in Issues)
        {
            var id = (await client.GetJsonAsync($"/rest/api/3/issue/{issue}?fields=summary", TestContext.Current.CancellationToken)).Body.Id();
            foreach (var history in await client.ReadChangelogAsync(issue, TestContext.Current.CancellationToken))
            {
                expected.Add(history.Id(), id);
            }
        }

        var pages = await ReadAllPagesAsync(client, new { issueIdsOrKeys = Issues, maxResults = 7 }, TestContext.Current.CancellationToken);
        var entries = pages.SelectMany(Entries).ToList();

        Assert.True(expected.Count > 130, $"only {expected.Count} histories");
        Assert.Equal((expected.Count + 6) / 7, pages.Count);
        Assert.All(pages.Take(pages.Count - 1), page => Assert.Equal(7, Entries(page).Count()));
        Assert.InRange(Entries(pages[^1]).Count(), 1, 7);
        Assert.Equal(expected.Count, entries.Count);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), entries.Select(e => KeyValuePair.Create(e.History.Id(), e.IssueId)).OrderBy(e => e.Key, StringComparer.Ordinal));
        var order = entries.Select(e => (e.History.Created(), long.Parse(e.IssueId, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task ConsecutiveHistoriesOfOneIssueShareOneGroup()
    {
        using var client = simulator.CreateClient();

        var (_, page) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = new[] { ChangelogTests.LongHistoryIssueId } }, TestContext.Current.CancellationToken);

        var group = Assert.Single(page.GetProperty("issueChangeLogs").EnumerateArray());
        Assert.Equal(ChangelogTests.LongHistoryIssueId, group.GetProperty("issueId").GetString());
        Assert.True(group.GetProperty("changeHistories").GetArrayLength() > 130);
        Assert.False(page.TryGetProperty("nextPageToken", out _));
    }

    [Fact]
    public async Task FieldIdsKeepOnlyHistoriesChangingThoseFields()
    {
        using var client = simulator.CreateClient();
        var statusHistories = 0;
        foreach (var issue in Issues)
        {
            statusHistories += (await client.ReadChangelogAsync(issue, TestContext.Current.CancellationToken))
                .Count(h => h.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("fieldId").GetString() == "status"));
        }

        var pages = await ReadAllPagesAsync(client, new { issueIdsOrKeys = Issues, fieldIds = new[] { "status" }, maxResults = 4 }, TestContext.Current.CancellationToken);
        var entries = pages.SelectMany(Entries).ToList();

        Assert.True(statusHistories > 4, "too few status changes to page");
        Assert.Equal(statusHistories, entries.Count);
        Assert.All(entries, e => Assert.Contains(e.History.GetProperty("items").EnumerateArray(), i => i.GetProperty("fieldId").GetString() == "status"));
    }

    [Fact]
    public async Task TokenReusedWithOtherIssuesAnswers400()
    {
        using var client = simulator.CreateClient();
        var (_, first) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = Issues, maxResults = 5 }, TestContext.Current.CancellationToken);
        var token = first.GetProperty("nextPageToken").GetString();

        var (sameIssues, _) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = Issues, maxResults = 5, nextPageToken = token }, TestContext.Current.CancellationToken);
        var (otherIssues, body) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = new[] { "ALPHA-3", "BETA-7" }, maxResults = 5, nextPageToken = token }, TestContext.Current.CancellationToken);
        var (otherFields, _) = await client.PostJsonAsync(BulkPath, new { issueIdsOrKeys = Issues, fieldIds = new[] { "status" }, maxResults = 5, nextPageToken = token }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, sameIssues.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherIssues.StatusCode);
        Assert.NotEmpty(body.ErrorMessages());
        Assert.Equal(HttpStatusCode.BadRequest, otherFields.StatusCode);
    }

    [Theory]
    [InlineData("{\"issueIdsOrKeys\":[]}")]
    [InlineData("{\"issueIdsOrKeys\":[\"ALPHA-1\"],\"startAt\":0}")]
    public async Task InvalidRequestAnswers400(string json)
    {
        using var client = simulator.CreateClient();

        var response = await client.PostAsync(BulkPath, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static IEnumerable<(string IssueId, JsonElement History)> Entries(JsonElement page) =>
        page.GetProperty("issueChangeLogs").EnumerateArray().SelectMany(group =>
            group.GetProperty("changeHistories").EnumerateArray().Select(h => (group.GetProperty("issueId").GetString()!, h)));

    private static async Task<List<JsonElement>> ReadAllPagesAsync(HttpClient client, object request, CancellationToken cancellationToken)
    {
        var pages = new List<JsonElement>();
        var body = JsonSerializer.SerializeToNode(request)!.AsObject();
        while (true)
        {
            var (response, page) = await client.PostJsonAsync(BulkPath, body, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(page);
            if (!page.TryGetProperty("nextPageToken", out var token))
            {
                return pages;
            }

            Assert.True(pages.Count < 500, "the token never ran out");
            body["nextPageToken"] = token.GetString();
        }
    }
}
