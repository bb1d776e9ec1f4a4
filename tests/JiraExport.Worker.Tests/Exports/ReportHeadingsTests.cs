using System.Text;
using JiraExport.Worker.Exports.Pdf;

namespace JiraExport.Worker.Tests.Exports;

public sealed class ReportHeadingsTests
{
    [Fact]
    public void HeadingsKeepTheirIdsAndTheOthersGetOne()
    {
        var (html, headings) = ReportHeadings.Prepare(
            "<body><h1 id=\"top\">Sprint &amp; <em>release</em></h1><h2 class=\"issue\">ALPHA-1   Login</h2><h3>Comments</h3><h4>Not in the outline</h4></body>");

        Assert.Equal(
            [new ReportHeading(1, "top", "Sprint & release"), new ReportHeading(2, "jx-heading-1", "ALPHA-1 Login"), new ReportHeading(3, "jx-heading-2", "Comments")],
            headings);
        Assert.Contains("<h2 id=\"jx-heading-1\" class=\"issue\">", html, StringComparison.Ordinal);
        Assert.Contains("<h4>Not in the outline</h4>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyHeadingIsNotABookmark()
    {
        var (_, headings) = ReportHeadings.Prepare("<h2>  </h2><h2>Real</h2>");

        Assert.Equal("Real", Assert.Single(headings).Title);
    }

    [Fact]
    public void AReportWithVeryManyHeadingsStopsItsOutlineAtTheSecondLevel()
    {
        var html = new StringBuilder();
        for (var i = 0; i <= ReportHeadings.MaxHeadingsWithThirdLevel / 2; i++)
        {
            html.Append("<h2>Issue ").Append(i).Append("</h2><h3>Comments</h3>");
        }

        var (_, headings) = ReportHeadings.Prepare(html.ToString());

        Assert.All(headings, heading => Assert.Equal(2, heading.Level));
        Assert.Equal(ReportHeadings.MaxHeadingsWithThirdLevel / 2 + 1, headings.Count);
    }

    [Fact]
    public void TheDestinationLinksEncodeTheIds()
    {
        var links = ReportHeadings.DestinationLinks([new ReportHeading(1, "a\"b<c", "Title")]);

        Assert.Equal("<div hidden aria-hidden=\"true\"><a href=\"#a&quot;b&lt;c\"></a></div>", links);
        Assert.Empty(ReportHeadings.DestinationLinks([]));
    }
}
