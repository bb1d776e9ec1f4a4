using System.Globalization;
using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>Reading the simulator's answers the way a Jira client would: dates, whole changelogs, search pages.</summary>
internal static class JiraResponses
{
    /// <summary>Jira writes <c>2024-03-05T14:32:11.571+0300</c>; .NET wants a colon in the offset.</summary>
    public static DateTimeOffset ParseJiraDate(string text) =>
        DateTimeOffset.ParseExact(text.Insert(text.Length - 2, ":"), "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    public static DateTimeOffset Created(this JsonElement history) => ParseJiraDate(history.GetProperty("created").GetString()!);

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    /// <summary>Every history of one issue through <c>/issue/{key}/changelog</c>, page after page, oldest first.</summary>
    public static async Task<List<JsonElement>> ReadChangelogAsync(this HttpClient client, string issueIdOrKey, CancellationToken cancellationToken, int version = 3)
    {
        var histories = new List<JsonElement>();
        string? next = $"/rest/api/{version}/issue/{issueIdOrKey}/changelog";
        while (next is not null)
        {
            var (response, page) = await client.GetJsonAsync(next, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            histories.AddRange(page.GetProperty("values").EnumerateArray());
            next = page.TryGetProperty("nextPage", out var nextPage) ? nextPage.GetString() : null;
        }

        return histories;
    }

    /// <summary>The status changes of a changelog, in its order.</summary>
    public static List<JsonElement> StatusChanges(this IEnumerable<JsonElement> histories) =>
        histories.SelectMany(h => h.GetProperty("items").EnumerateArray()).Where(i => i.GetProperty("field").GetString() == "status").ToList();

    /// <summary>The keys an enhanced search finds (at most 100, enough for the small queries of these tests).</summary>
    public static async Task<List<string>> SearchKeysAsync(this HttpClient client, string jql, CancellationToken cancellationToken)
    {
        var (response, body) = await client.PostJsonAsync("/rest/api/3/search/jql", new { jql, fields = new[] { "key" }, maxResults = 100 }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("issues").EnumerateArray().Select(i => i.Key()).ToList();
    }
}
