using JiraExport.Core.Reports;
using Xunit;

namespace JiraExport.Core.Tests.Reports;

/// <summary>Ranges in templates: refused before they are built when too long, unchanged in meaning otherwise.</summary>
public sealed class ReportTemplateRangeTests
{
    private static readonly ReportTemplateEngine Engine = new();

    [Theory]
    [InlineData("{% for i in (1..5) %}{{ i }}{% endfor %}", "12345")]
    [InlineData("{% for i in (3..1) %}{{ i }}{% endfor %}", "")]
    [InlineData("{% assign n = 7 %}{% for i in (1..n) limit: 2 offset: 1 %}{{ i }}{% endfor %}", "23")]
    [InlineData("{% for i in (1..3) reversed %}{{ i }}{% endfor %}", "321")]
    [InlineData("{% assign r = (2..4) %}{{ r | join: ',' }} {{ r.size }}", "2,3,4 3")]
    [InlineData("{% for i in (1..200000) %}{% endfor %}done", "done")]
    public async Task ARangeWithinTheLimitMeansWhatLiquidSays(string liquid, string expected) =>
        Assert.Equal(expected, await RenderAsync(liquid));

    [Theory]
    [InlineData("{% for i in (1..100000000) %}{% endfor %}", "(1..100000000)")]
    [InlineData("{% assign n = 50000000 %}{% assign a = (1..n) %}{{ a.size }}", "(1..50000000)")]
    [InlineData("{% for i in (1..2) %}{% for j in (0..200000) %}x{% endfor %}{% endfor %}", "(0..200000)")]
    public async Task ARangeOverTheLimitIsRefusedBeforeItIsBuilt(string liquid, string range)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var refused = await Assert.ThrowsAsync<TemplateLimitException>(() => RenderAsync(liquid));
        Assert.Equal($"The range {range} has more than 200,000 items; loop over the report's own lists (report.issues) instead.", refused.Message);
        // Building the refused range would take gigabytes; the refusal takes almost nothing.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024 * 1024, "the range was built");
    }

    private static async Task<string> RenderAsync(string liquid)
    {
        var model = SampleReports.For(ReportKinds.IssueList, BrandingModel.Default, new ReportOptionsModel(false, true));
        var html = await Engine.RenderHtmlAsync(new TemplateSource(liquid, string.Empty, TemplateSource.NoAssets), model, TestContext.Current.CancellationToken);
        return html.Replace("<style>\n\n</style>\n", string.Empty, StringComparison.Ordinal);
    }
}
