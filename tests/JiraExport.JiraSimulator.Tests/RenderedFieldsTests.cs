using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>expand=renderedFields</c> (API-NOTES 2.9): HTML for descriptions and comments, on every way of reading issues.</summary>
public sealed partial class RenderedFieldsTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string Issue = "ALPHA-82";

    [Fact]
    public async Task GetIssueRendersDescriptionAndCommentsAsParagraphs()
    {
        using var client = simulator.CreateClient();

        var (_, rendered) = await client.GetJsonAsync($"/rest/api/3/issue/{Issue}?expand=renderedFields", TestContext.Current.CancellationToken);
        var (_, wiki) = await client.GetJsonAsync($"/rest/api/2/issue/{Issue}?fields=description,comment", TestContext.Current.CancellationToken);

        var html = rendered.GetProperty("renderedFields");
        Assert.Equal(rendered.GetProperty("fields").EnumerateObject().Select(p => p.Name), html.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Paragraphs(wiki.GetProperty("fields").GetProperty("description").GetString()!), html.GetProperty("description").GetString());
        var wikiComments = wiki.GetProperty("fields").GetProperty("comment").GetProperty("comments").EnumerateArray().ToList();
        var htmlComments = html.GetProperty("comment").GetProperty("comments").EnumerateArray().ToList();
        Assert.NotEmpty(htmlComments);
        Assert.Equal(wikiComments.Select(c => Paragraphs(c.GetProperty("body").GetString()!)), htmlComments.Select(c => c.GetProperty("body").GetString()));
        Assert.Matches(DisplayDate(), html.GetProperty("created").GetString());
        Assert.Matches(DisplayDate(), htmlComments[0].GetProperty("created").GetString());
        Assert.Equal(JsonValueKind.Null, html.GetProperty("summary").ValueKind);
    }

    [Fact]
    public async Task EveryIssueReaderRendersOnRequestOnly()
    {
        using var client = simulator.CreateClient();
        var readers = new (string Name, Func<bool, Task<JsonElement>> Read)[]
        {
            ("search/jql", async expand => (await client.PostJsonAsync("/rest/api/3/search/jql",
                new { jql = "project = GAMMA ORDER BY key", fields = new[] { "description" }, maxResults = 5, expand = expand ? "renderedFields" : null }, TestContext.Current.CancellationToken)).Body),
            ("DC search", async expand => (await client.GetJsonAsync($"/rest/api/2/search?jql=project%3DGAMMA&maxResults=5&fields=description{(expand ? "&expand=renderedFields" : string.Empty)}", TestContext.Current.CancellationToken)).Body),
            ("bulkfetch", async expand => (await client.PostJsonAsync("/rest/api/3/issue/bulkfetch",
                new { issueIdsOrKeys = new[] { "GAMMA-1", "GAMMA-2" }, fields = new[] { "description" }, expand = expand ? new[] { "renderedFields" } : Array.Empty<string>() }, TestContext.Current.CancellationToken)).Body),
            ("sprint issues", async expand => (await client.GetJsonAsync($"/rest/agile/1.0/sprint/293/issue?maxResults=5&fields=description{(expand ? "&expand=renderedFields" : string.Empty)}", TestContext.Current.CancellationToken)).Body),
        };

        foreach (var (name, read) in readers)
        {
            var plain = (await read(false)).GetProperty("issues").EnumerateArray().ToList();
            var expanded = (await read(true)).GetProperty("issues").EnumerateArray().ToList();
            Assert.True(plain.Count > 0, name);
            Assert.All(plain, i => Assert.False(i.TryGetProperty("renderedFields", out _), name));
            Assert.All(expanded, i => Assert.Matches(HtmlParagraphs(), i.GetProperty("renderedFields").GetProperty("description").GetString()));
        }
    }

    /// <summary>Wiki text whose paragraphs are separated by blank lines, as the simulator renders it in HTML.</summary>
    private static string Paragraphs(string wiki) => string.Join("\n", wiki.Split("\n\n").Select(p => $"<p>{p}</p>"));

    [GeneratedRegex(@"^\d\d/[A-Z][a-z]{2}/\d\d \d{1,2}:\d\d [AP]M$")]
    private static partial Regex DisplayDate();

    [GeneratedRegex(@"^<p>[^<]+</p>(\n<p>[^<]+</p>)*$")]
    private static partial Regex HtmlParagraphs();
}
