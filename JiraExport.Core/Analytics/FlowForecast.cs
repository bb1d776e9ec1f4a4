namespace JiraExport.Core.Analytics;

/// <summary>
/// A forecast's answer at the three confidence levels people plan with: P50 (a coin flip), P85 and P95. For "when", the
/// days that share of trials finished within; for "how many", the count that share of trials reached at least.
/// </summary>
public sealed record ForecastCounts(int P50, int P85, int P95);

/// <summary>The dates of <see cref="ForecastCounts"/> days, counted from the forecast's start (its first day).</summary>
public sealed record ForecastDates(DateOnly P50, DateOnly P85, DateOnly P95);

/// <summary>"When will these items be done"; <paramref name="Unfinished"/> trials had not finished after <see cref="FlowForecast.MaxDays"/> days.</summary>
public sealed record WhenForecast(int Items, long Seed, int Trials, ForecastCounts Days, ForecastDates Dates, int Unfinished);

/// <summary>"How many items by this date", over <paramref name="Days"/> days counted from the start.</summary>
public sealed record HowManyForecast(DateOnly Until, long Seed, int Trials, int Days, ForecastCounts Items);

/// <summary>
/// Monte Carlo forecasts from a throughput history: each trial replays the future one day at a time, taking each day's
/// throughput from a day of the history drawn at random. The stated rules: only the calendar's business days are drawn and
/// walked when the definition counts business days; a trial that has not finished after <see cref="MaxDays"/> days counts
/// as unfinished (and as the latest date). The random numbers come from a seeded generator written here (SplitMix64), so a
/// recorded seed gives the same answer on any machine and .NET version.
/// </summary>
public sealed class FlowForecast(IReadOnlyList<int> history, WorkCalendar calendar, bool businessDaysOnly)
{
    public const int DefaultTrials = 10_000;

    public const string Rule =
        "10,000 trials; each simulated day takes the throughput of a day of the history drawn at random (business days only when the definition counts business days); the first day counted is today.";
    public const int MaxDays = 3660;

    /// <summary>The days from which each simulated day's throughput is drawn; a window without one (a weekend) is one day of none.</summary>
    public static IReadOnlyList<int> History(FlowFigure dailyThroughput, WorkCalendar calendar, bool businessDaysOnly)
    {
        List<int> days = [.. dailyThroughput.Series.Where(p => !businessDaysOnly || calendar.IsBusinessDay(p.Date)).Select(p => p.Count)];
        return days.Count == 0 ? [0] : days;
    }

    public WhenForecast When(int items, DateOnly start, long seed, int trials = DefaultTrials)
    {
        var random = new SplitMix64(seed);
        var days = new int[trials];
        var unfinished = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var done = 0;
            var day = 0;
            while (done < items && day < MaxDays)
            {
                done += history[random.Next(history.Count)];
                day++;
            }

            unfinished += done < items ? 1 : 0;
            days[trial] = day;
        }

        Array.Sort(days);
        var p = new ForecastCounts(Rank(days, 50), Rank(days, 85), Rank(days, 95));
        return new WhenForecast(items, seed, trials, p, new ForecastDates(DateAfter(start, p.P50), DateAfter(start, p.P85), DateAfter(start, p.P95)), unfinished);
    }

    public HowManyForecast HowMany(DateOnly start, DateOnly until, long seed, int trials = DefaultTrials)
    {
        var random = new SplitMix64(seed);
        var days = 0;
        for (var date = start; date <= until && days < MaxDays; date = date.AddDays(1))
        {
            days += !businessDaysOnly || calendar.IsBusinessDay(date) ? 1 : 0;
        }

        var totals = new int[trials];
        for (var trial = 0; trial < trials; trial++)
        {
            var total = 0L;
            for (var day = 0; day < days; day++)
            {
                total += history[random.Next(history.Count)];
            }

            totals[trial] = (int)Math.Min(total, int.MaxValue);
        }

        // "At least this many" with 85 % confidence is what 85 % of trials reached: the 15th percentile from the bottom.
        Array.Sort(totals);
        return new HowManyForecast(until, seed, trials, days, new ForecastCounts(Rank(totals, 50), Rank(totals, 15), Rank(totals, 5)));
    }

    /// <summary>The date <paramref name="days"/> counted days after <paramref name="start"/> (the start is day 1, like a sprint's first day).</summary>
    private DateOnly DateAfter(DateOnly start, int days)
    {
        var date = start.AddDays(-1);
        for (var counted = 0; counted < days;)
        {
            date = date.AddDays(1);
            counted += !businessDaysOnly || calendar.IsBusinessDay(date) ? 1 : 0;
        }

        return date;
    }

    private static int Rank(int[] sorted, int percent) => FlowDistribution.Percentile(sorted, percent);

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence for a seed everywhere.</summary>
    private struct SplitMix64(long seed)
    {
        private ulong _state = unchecked((ulong)seed);

        public int Next(int bound)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            // The high 32 bits times the bound: no modulo bias worth counting for a history of a few hundred days.
            return (int)(((z >> 32) * (ulong)bound) >> 32);
        }
    }
}
