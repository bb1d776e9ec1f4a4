using System.Text.Json;
using JiraExport.Core.Jira.RichText;
using Xunit;

namespace JiraExport.Core.Tests.Jira;

public sealed class RichTextTests
{
    [Fact]
    public void AdfBecomesHtmlWithEveryKnownNodeAndMark()
    {
        var html = AtlassianDocument.ToHtml(Parse("""
            {"type":"doc","version":1,"content":[
              {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Итоги"}]},
              {"type":"paragraph","content":[
                {"type":"text","text":"bold","marks":[{"type":"strong"}]},{"type":"text","text":" and "},
                {"type":"text","text":"linked","marks":[{"type":"em"},{"type":"link","attrs":{"href":"https://example.com/a?b=1&c=2"}}]},
                {"type":"hardBreak"},{"type":"mention","attrs":{"id":"5f1a","text":"@Anna"}},
                {"type":"text","text":"red","marks":[{"type":"textColor","attrs":{"color":"#ff0000"}}]}]},
              {"type":"orderedList","attrs":{"order":3},"content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"third"}]}]}]},
              {"type":"codeBlock","attrs":{"language":"csharp"},"content":[{"type":"text","text":"if (a < b) {}"}]},
              {"type":"table","content":[{"type":"tableRow","content":[{"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"H"}]}]}]}]}
            ]}
            """));

        Assert.Equal(
            "<h2>Итоги</h2><p><strong>bold</strong> and <em><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener nofollow\">linked</a></em><br>" +
            "<span class=\"mention\">@Anna</span><span style=\"color:#ff0000\">red</span></p><ol start=\"3\"><li><p>third</p></li></ol>" +
            "<pre><code class=\"language-csharp\">if (a &lt; b) {}</code></pre><table><tr><th><p>H</p></th></tr></table>",
            html);
    }

    [Theory]
    [InlineData("""{"type":"text","text":"<script>alert(1)</script>"}""", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("""{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":"javascript:alert(1)"}}]}""", "x")]
    [InlineData("""{"type":"text","text":"x","marks":[{"type":"textColor","attrs":{"color":"red;background:url(http://evil)"}}]}""", "x")]
    [InlineData("""{"type":"codeBlock","attrs":{"language":"x\" onclick=\"alert(1)"},"content":[{"type":"text","text":"c"}]}""", "<pre><code>c</code></pre>")]
    [InlineData("""{"type":"futureNode","attrs":{"html":"<b>raw</b>"},"content":[{"type":"text","text":"kept"}]}""", "kept")]
    public void AdfNeverLetsMarkupOrUnsafeLinksThrough(string node, string expected)
    {
        Assert.Equal($"<p>{expected}</p>", AtlassianDocument.ToHtml(Parse($$"""{"type":"doc","content":[{"type":"paragraph","content":[{{node}}]}]}""")));
    }

    [Fact]
    public void AdfBecomesReadablePlainText()
    {
        var text = AtlassianDocument.ToPlainText(Parse("""
            {"type":"doc","content":[
              {"type":"paragraph","content":[{"type":"text","text":"First line"},{"type":"hardBreak"},{"type":"text","text":"second"}]},
              {"type":"bulletList","content":[
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]},
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"two"}]}]}]},
              {"type":"paragraph","content":[{"type":"inlineCard","attrs":{"url":"https://jira.example.com/browse/A-1"}}]}]}
            """));

        Assert.Equal("First line\nsecond\n\n- one\n\n- two\n\nhttps://jira.example.com/browse/A-1", text);
    }

    [Theory]
    [InlineData("responses/v3-search-issue-adf.airbyte.json", "Test issue")]
    [InlineData("responses/v3-issue-adf-description.jira-cli.json", "Test description")]
    public void RealCloudDescriptionsRender(string sample, string text)
    {
        var description = FindDescription(Parse(File.ReadAllText(JiraExport.Tests.Shared.JiraReference.File(sample))));

        Assert.Equal($"<p>{text}</p>", AtlassianDocument.ToHtml(description));
        Assert.Equal(text, AtlassianDocument.ToPlainText(description));
    }

    [Fact]
    public void WikiMarkupBecomesHtml()
    {
        var html = WikiMarkup.ToHtml("""
            h1. Release *2.0*
            Steps to reproduce: open the page, click _Save_ and see {{NullReferenceException}}.
            A well-known -bug- that +matters+, see [the ticket|https://jira.example.com/browse/A-1].

            * first
            * second
            # numbered
            {code:java}
            if (a < b) { return "<b>"; }
            {code}
            bq. quoted <b>tag</b>
            """);

        Assert.Equal(
            "<h1>Release <strong>2.0</strong></h1>" +
            "<p>Steps to reproduce: open the page, click <em>Save</em> and see <code>NullReferenceException</code>.<br>" +
            "A well-known <s>bug</s> that <u>matters</u>, see <a href=\"https://jira.example.com/browse/A-1\" rel=\"noopener nofollow\">the ticket</a>.</p>" +
            "<ul><li>first</li><li>second</li></ul><ol><li>numbered</li></ol>" +
            "<pre><code>if (a &lt; b) { return &quot;&lt;b&gt;&quot;; }</code></pre>" +
            "<blockquote>quoted &lt;b&gt;tag&lt;/b&gt;</blockquote>",
            html);
    }

    [Theory]
    [InlineData("[click|javascript:alert(1)]", "<p>click</p>")]
    [InlineData("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>")]
    [InlineData("a well-known well-tested thing", "<p>a well-known well-tested thing</p>")]
    public void WikiMarkupKeepsScriptsAndHyphenatedWordsHarmless(string wiki, string expected)
    {
        Assert.Equal(expected, WikiMarkup.ToHtml(wiki));
    }

    [Fact]
    public void WikiMarkupBecomesPlainText()
    {
        Assert.Equal("Title\nSee the ticket (https://x.example/1) and Code now",
            WikiMarkup.ToPlainText("h2. Title\nSee [the ticket|https://x.example/1] and {{Code}} *now*"));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static JsonElement FindDescription(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "description" && property.Value.ValueKind == JsonValueKind.Object)
                {
                    return property.Value;
                }

                if (FindDescription(property.Value) is { ValueKind: JsonValueKind.Object } found)
                {
                    return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (FindDescription(item) is { ValueKind: JsonValueKind.Object } found)
                {
                    return found;
                }
            }
        }

        return default;
    }
}
