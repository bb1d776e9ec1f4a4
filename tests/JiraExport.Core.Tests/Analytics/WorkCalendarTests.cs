using JiraExport.Core.Analytics;
using Xunit;

namespace JiraExport.Core.Tests.Analytics;

/// <summary>Days between dates of a tenant's calendar, counted each way a flow definition allows.</summary>
public sealed class WorkCalendarTests
{
    // Monday 2 November 2026 to Monday 9 November 2026; Wednesday the 4th is a holiday.
    private static readonly WorkCalendar Calendar = new(TimeZoneInfo.Utc, [DayOfWeek.Saturday, DayOfWeek.Sunday], [new DateOnly(2026, 11, 4)]);
    private static readonly DateOnly Monday = new(2026, 11, 2);
    private static readonly DateOnly NextMonday = new(2026, 11, 9);

    [Theory]
    [InlineData(DayKind.Calendar, DayCounting.Elapsed, 7)]
    [InlineData(DayKind.Calendar, DayCounting.Inclusive, 8)]
    [InlineData(DayKind.Business, DayCounting.Elapsed, 4)]
    [InlineData(DayKind.Business, DayCounting.Inclusive, 5)]
    public void AWeekIsCountedAsTheDefinitionSays(DayKind kind, DayCounting counting, int days) =>
        Assert.Equal(days, Calendar.Days(Monday, NextMonday, kind, counting));

    [Fact]
    public void AnEndBeforeItsStartCountsNoDays() =>
        Assert.Equal(0, Calendar.Days(NextMonday, Monday, DayKind.Calendar, DayCounting.Inclusive));

    [Fact]
    public void AnInstantIsDatedInTheCalendarsTimeZone()
    {
        var berlin = new WorkCalendar(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), [], []);
        var lateInUtc = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 11, 30), Calendar.DateOf(lateInUtc));
        Assert.Equal(new DateOnly(2026, 12, 1), berlin.DateOf(lateInUtc));
    }

    [Fact]
    public void BusinessDaysCountedAtOnceMatchADayByDayCountOverDecades()
    {
        var calendar = new WorkCalendar(TimeZoneInfo.Utc, [DayOfWeek.Friday, DayOfWeek.Saturday], [new(2026, 11, 4), new(2026, 11, 6), new(2031, 1, 1)]);
        var random = new Random(4);
        for (var i = 0; i < 200; i++)
        {
            var start = new DateOnly(2020, 1, 1).AddDays(random.Next(0, 5000));
            var end = start.AddDays(random.Next(0, 4000));
            var dayByDay = 0;
            for (var date = start; date <= end; date = date.AddDays(1))
            {
                dayByDay += calendar.IsBusinessDay(date) ? 1 : 0;
            }

            Assert.Equal(dayByDay, calendar.Days(start, end, DayKind.Business, DayCounting.Inclusive));
        }

        // The calendar's last day counts without stepping past it.
        Assert.Equal(1, Calendar.Days(DateOnly.MaxValue, DateOnly.MaxValue, DayKind.Business, DayCounting.Inclusive));
    }
}
