using System.Text;
using System.Text.RegularExpressions;
using JiraExport.Worker.Exports.Pdf;

namespace JiraExport.Worker.Tests.Exports;

public sealed partial class ReportPrintPartsTests
{
    private const string Head = "<!DOCTYPE html><html><head><style>h2{color:red}</style></head><body class=\"report\">";

    [Theory]
    [InlineData(100, 2, 1_000, 1)] // shorter than a part: one
    [InlineData(5_000, 1, 1_000, 1)] // nothing prints beside it: one
    [InlineData(1_500, 2, 1_000, 2)] // at least one part per printing page
    [InlineData(5_500, 2, 1_000, 5)] // one per minimum length
    [InlineData(50_000, 2, 1_000, 8)] // at most four per printing page, so each part still reports progress
    public void APartIsPrintedPerMinimumLengthBetweenThePagesPrintingAndFourTimesThat(int chars, int concurrency, int minChars, int expected) =>
        Assert.Equal(expected, ReportPrintParts.CountFor(chars, concurrency, minChars));

    [Fact]
    public void ShortHtmlPrintsWhole()
    {
        var html = Report(issues: 3);

        var parts = ReportPrintParts.Split(html, [], parts: 4, minChars: html.Length + 1);

        Assert.Equal(html, Assert.Single(parts).Html);
    }

    [Fact]
    public void EachIssueIsPrintedOnceInOrderAndEveryPartHasTheHead()
    {
        var html = Report(issues: 40);

        var parts = ReportPrintParts.Split(html, [], parts: 4, minChars: 100);

        Assert.Equal(4, parts.Count);
        Assert.All(parts, part => Assert.StartsWith(Head, part.Html, StringComparison.Ordinal));
        var printed = parts.SelectMany(part => IssueKey().Matches(part.Html).Select(m => m.Groups["key"].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"ALPHA-{i}"), printed);
    }

    [Fact]
    public void ALinkToAnIssueInAnotherPartGetsAPlaceholderThatThePartDoesNotClaim()
    {
        // The contents at the top link every issue; the issues are spread over the parts.
        var html = Report(issues: 40, contents: true);

        var parts = ReportPrintParts.Split(html, [], parts: 4, minChars: 100);

        Assert.DoesNotContain(parts[0].PlaceholderIds, id => parts[0].Html.Contains($"<article id=\"{id}\"", StringComparison.Ordinal));
        Assert.Contains("issue-40", parts[0].PlaceholderIds);
        Assert.Contains("<span id=\"issue-40\"></span>", parts[0].Html, StringComparison.Ordinal);
        Assert.All(parts.Skip(1), part => Assert.Empty(part.PlaceholderIds));
    }

    [Fact]
    public void EveryPartCarriesTheLinksThatMakeChromiumRecordTheHeadings()
    {
        var (withIds, headings) = ReportHeadings.Prepare(Report(issues: 40));

        var parts = ReportPrintParts.Split(withIds, headings, parts: 2, minChars: 100);

        var links = ReportHeadings.DestinationLinks(headings);
        Assert.All(parts, part => Assert.Contains(links, part.Html, StringComparison.Ordinal));
    }

    private static string Report(int issues, bool contents = false)
    {
        var html = new StringBuilder(Head);
        if (contents)
        {
            html.Append("<nav>");
            for (var i = 1; i <= issues; i++)
            {
                html.Append("<a href=\"#issue-").Append(i).Append("\">ALPHA-").Append(i).Append("</a>");
            }

            html.Append("</nav>");
        }

        for (var i = 1; i <= issues; i++)
        {
            html.Append("<article id=\"issue-").Append(i).Append("\" data-print-part><h2>[ALPHA-").Append(i).Append("] Summary</h2><p>")
                .Append('x', 50).Append("</p></article>");
        }

        return html.Append("</body></html>").ToString();
    }

    [GeneratedRegex(@"<h2[^>]*>\[(?<key>ALPHA-\d+)\]")]
    private static partial Regex IssueKey();
}
