using JiraExport.Worker.Exports;

namespace JiraExport.Worker.Tests.Exports;

public sealed class ExportFileNamesTests
{
    private static readonly DateTimeOffset MadeAt = new(2026, 12, 6, 7, 5, 0, TimeSpan.FromHours(3));

    [Theory]
    [InlineData("Sprint 42 report", "Sprint-42-report-20261206-0405.pdf")]
    [InlineData("Отчёт за квартал", "Отчёт-за-квартал-20261206-0405.pdf")]
    [InlineData("../../etc/passwd", "..-..-etc-passwd-20261206-0405.pdf")]
    [InlineData("a\"b\r\nContent-Type: text/html", "a-b-Content-Type-text-html-20261206-0405.pdf")]
    [InlineData("🚀🔥", "jira-export-20261206-0405.pdf")]
    [InlineData(null, "jira-export-20261206-0405.pdf")]
    public void TheTitleBecomesASafeNameWithTheUtcTime(string? title, string expected) =>
        Assert.Equal(expected, ExportFileNames.For(title, "jira-export", MadeAt, "pdf"));

    [Fact]
    public void ALongTitleIsCutWithoutATrailingDash()
    {
        var name = ExportFileNames.For(new string('a', 79) + " tail of the title", "jira-export", MadeAt, "csv");

        Assert.Equal(new string('a', 79) + "-20261206-0405.csv", name);
    }
}
