using JiraExport.Core.Reports;
using Xunit;

namespace JiraExport.Core.Tests.Reports;

/// <summary>A template that writes far more than its report holds is stopped at a cap sized to the report.</summary>
public sealed class ReportOutputCapTests
{
    // Small numbers, the production formula: the cap is the base plus an allowance per issue of the report.
    private static readonly ReportTemplateEngine Engine = new(ReportTemplateLimits.Default with { BaseOutputChars = 10_000, OutputCharsPerIssue = 1_000 });

    private static readonly ReportModel Report = SampleReports.For(ReportKinds.IssueList, BrandingModel.Default, new ReportOptionsModel(false, true));

    [Fact]
    public async Task ATemplateWritingTwiceItsAllowancePerIssueIsStoppedAtTheReportsCap()
    {
        var cap = 10_000 + Report.IssueCount * 1_000;
        var refused = await Assert.ThrowsAsync<TemplateLimitException>(() => RenderAsync(charsPerIssue: 2_000 + 10_000 / Report.IssueCount));
        Assert.StartsWith($"The report grew past {cap:N0} characters of HTML", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProductionCapStopsATemplateWritingMegabytesForAHandfulOfIssues()
    {
        // 100,000 × 100 characters: 10 M characters of HTML for the sample's few issues, which the flat 200 M cap let through.
        var liquid = "{% for i in (1..100000) %}" + new string('x', 100) + "{% endfor %}";
        var refused = await Assert.ThrowsAsync<TemplateLimitException>(() => new ReportTemplateEngine().RenderHtmlAsync(
            new TemplateSource(liquid, string.Empty, TemplateSource.NoAssets), Report, TestContext.Current.CancellationToken));
        Assert.StartsWith("The report grew past", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATemplateWithinItsAllowanceRenders() =>
        Assert.True((await RenderAsync(charsPerIssue: 900)).Length >= Report.IssueCount * 900);

    [Fact]
    public void TheCapGrowsWithTheIssuesAndTheTemplatesImagesButNeverPastTheCeiling()
    {
        var limits = ReportTemplateLimits.Default;
        Assert.Equal(limits.BaseOutputChars + 2 * 500_000 + 10 * limits.OutputCharsPerIssue, limits.OutputCharsFor(10, 500_000));
        Assert.Equal(limits.MaxOutputChars, limits.OutputCharsFor(1_000_000, 0));
    }

    private static Task<string> RenderAsync(int charsPerIssue) => Engine.RenderHtmlAsync(
        new TemplateSource($"{{% for issue in report.issues %}}{new string('x', charsPerIssue)}{{% endfor %}}", string.Empty, TemplateSource.NoAssets),
        Report, TestContext.Current.CancellationToken);
}
