using System.Globalization;
using System.Net;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>Reading the Agile API and per-issue lists the way a client would: offset pages to the end, and whole projects.</summary>
internal static class AgileResponses
{
    /// <summary>Agile sprint dates keep the colon in the offset: <c>2015-04-11T15:22:00.000+10:00</c>.</summary>
    public static DateTimeOffset ParseAgileDate(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    public static DateTimeOffset? AgileDate(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? ParseAgileDate(value.GetString()!) : null;

    public static int IntId(this JsonElement element) => element.GetProperty("id").GetInt32();

    /// <summary>Every value of an Agile <c>{startAt, maxResults, isLast, values}</c> list, page after page.</summary>
    public static async Task<(List<JsonElement> Values, int Pages)> ReadAgileValuesAsync(this HttpClient client, string path, CancellationToken cancellationToken)
    {
        var values = new List<JsonElement>();
        var pages = 0;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        while (true)
        {
            var (response, page) = await client.GetJsonAsync($"{path}{separator}startAt={values.Count}", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(values.Count, page.GetProperty("startAt").GetInt32());
            values.AddRange(page.GetProperty("values").EnumerateArray());
            pages++;
            if (page.GetProperty("isLast").GetBoolean())
            {
                return (values, pages);
            }

            Assert.True(pages < 100, "isLast never came");
        }
    }

    /// <summary>Every issue a legacy-search-shaped list holds (Data Center search, sprint and epic issues), page after page.</summary>
    public static async Task<List<JsonElement>> ReadIssuePagesAsync(this HttpClient client, string path, int maxResults, CancellationToken cancellationToken)
    {
        var issues = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        while (true)
        {
            var (response, page) = await client.GetJsonAsync($"{path}{separator}startAt={issues.Count}&maxResults={maxResults}", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(issues.Count, page.GetProperty("startAt").GetInt32());
            var batch = page.GetProperty("issues").EnumerateArray().ToList();
            issues.AddRange(batch);
            if (batch.Count == 0 || issues.Count >= page.GetProperty("total").GetInt32())
            {
                Assert.Equal(page.GetProperty("total").GetInt32(), issues.Count);
                return issues;
            }
        }
    }

    /// <summary>The ids of the sprints in an issue's Sprint field (<c>customfield_10020</c>, null when none).</summary>
    public static List<int> SprintIds(this JsonElement issue) =>
        issue.GetProperty("fields").GetProperty("customfield_10020") is { ValueKind: JsonValueKind.Array } sprints
            ? [.. sprints.EnumerateArray().Select(s => s.IntId())]
            : [];
}
