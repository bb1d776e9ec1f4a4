using JiraExport.Core.Domain;
using JiraExport.Core.Reports;
using Xunit;

namespace JiraExport.Core.Tests.Reports;

/// <summary>When a scheduled report runs next: its cron in its time zone, never sooner than the minimum interval.</summary>
public sealed class ScheduledReportTimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 7, 0, 0, TimeSpan.Zero); // a Monday, 08:00 in Berlin

    [Fact]
    public void ACronIsReadInTheSchedulesTimeZone()
    {
        var next = ScheduledReports.NextRunAt(Schedule("0 9 * * MON", "Europe/Berlin"), Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void ACronThatFiresMoreOftenWaitsTheMinimumInterval()
    {
        var next = ScheduledReports.NextRunAt(Schedule("*/5 * * * *", "UTC"), Now);

        Assert.Equal(Now + ReportSchedule.MinInterval, next);
    }

    private static ReportSchedule Schedule(string cron, string timeZone) =>
        new() { Name = "s", Template = "issue-list", Jql = "project = A", Cron = cron, TimeZone = timeZone };
}
