namespace JiraExport.Core.Analytics;

/// <summary>
/// A tenant's days: the time zone its dates are read in, its weekend and its holidays. Flow metrics count days between
/// dates of this calendar, so an issue finished at 23:30 in Berlin is finished that day, not the next in UTC.
/// </summary>
public sealed class WorkCalendar
{
    public static WorkCalendar Default { get; } = new(TimeZoneInfo.Utc, [DayOfWeek.Saturday, DayOfWeek.Sunday], []);

    private readonly HashSet<DayOfWeek> _weekend;

    /// <summary>The holidays that fall on a working weekday, sorted by day number: what a business-day count subtracts.</summary>
    private readonly int[] _holidays;

    public WorkCalendar(TimeZoneInfo timeZone, IEnumerable<DayOfWeek> weekend, IEnumerable<DateOnly> holidays)
    {
        TimeZone = timeZone;
        _weekend = [.. weekend];
        _holidays = [.. holidays.Where(d => !_weekend.Contains(d.DayOfWeek)).Select(d => d.DayNumber).Distinct().Order()];
    }

    public TimeZoneInfo TimeZone { get; }

    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant the local <paramref name="date"/> begins (midnight, or the first minute after a DST gap).</summary>
    public DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    public bool IsBusinessDay(DateOnly date) => !_weekend.Contains(date.DayOfWeek) && Array.BinarySearch(_holidays, date.DayNumber) < 0;

    /// <summary>
    /// Days from <paramref name="start"/> to <paramref name="end"/> (dates of this calendar) as <paramref name="kind"/> and
    /// <paramref name="counting"/> say: calendar days are end − start; business days are the business days from start up to,
    /// not including, end; <see cref="DayCounting.Inclusive"/> adds the end day (if it is a business day, for business days).
    /// </summary>
    public int Days(DateOnly start, DateOnly end, DayKind kind, DayCounting counting)
    {
        if (end < start)
        {
            return 0;
        }

        var last = end.DayNumber + (counting == DayCounting.Inclusive ? 1 : 0);
        return kind == DayKind.Calendar ? last - start.DayNumber : BusinessDaysBefore(last) - BusinessDaysBefore(start.DayNumber);
    }

    /// <summary>
    /// Business days from 1 January 0001 up to day number <paramref name="day"/> (excluded), in constant time: whole weeks
    /// by arithmetic, the days left over one by one, the holidays by binary search. Issue dates years apart cost no more.
    /// </summary>
    private int BusinessDaysBefore(int day)
    {
        var weeks = day / 7;
        var count = weeks * (7 - _weekend.Count);
        for (var rest = weeks * 7; rest < day; rest++)
        {
            // Day 0 (1 January 0001) was a Monday.
            count += _weekend.Contains((DayOfWeek)((rest + 1) % 7)) ? 0 : 1;
        }

        var holidays = Array.BinarySearch(_holidays, day);
        return count - (holidays >= 0 ? holidays : ~holidays);
    }
}
