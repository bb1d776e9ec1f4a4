using JiraExport.Core.Reports;
using Xunit;

namespace JiraExport.Core.Tests.Reports;

/// <summary>A template's CSS stays inside its style element, whatever it spells.</summary>
public sealed class ReportTemplateStyleTests
{
    private static readonly ReportTemplateEngine Engine = new();

    [Theory]
    [InlineData("p { color: red } </style><script>alert(1)</script>")]
    [InlineData("p { color: red } </st</styleyle><script>alert(1)</script>")]
    [InlineData("p { color: red } </STYLE ><img src=x onerror=alert(1)>")]
    [InlineData("p::after { content: \"</style>\" }")]
    public async Task CssCannotCloseItsStyleElement(string css)
    {
        var model = SampleReports.For(ReportKinds.IssueList, BrandingModel.Default, new ReportOptionsModel(false, true));
        var html = await Engine.RenderHtmlAsync(new TemplateSource("<p>body</p>", css, TemplateSource.NoAssets), model, TestContext.Current.CancellationToken);

        var styleEnd = html.IndexOf("</style", StringComparison.OrdinalIgnoreCase);
        Assert.True(styleEnd > 0);
        Assert.Equal(html.LastIndexOf("</style", StringComparison.OrdinalIgnoreCase), styleEnd);
        Assert.StartsWith("\n</style>", html[(styleEnd - 1)..], StringComparison.Ordinal);
        Assert.Contains(css[..5], html[..styleEnd], StringComparison.Ordinal);
    }
}
