using System.Diagnostics;
using JiraExport.Core.Analytics;

namespace JiraExport.Benchmarks;

/// <summary>
/// The 10,000-trial Monte Carlo forecast (issue 17: ≤ 200 ms): "when will N items be done" and "how many in 180 days"
/// over a year of daily throughput, the median of 21 runs each; beside it, in the same run, the floor of any such
/// simulation: drawing and adding up as many random numbers with <see cref="Random"/>.
/// </summary>
public static class ForecastBenchmark
{
    public static int Run(int items)
    {
        var seeded = new Random(17);
        int[] history = [.. Enumerable.Range(0, 365).Select(_ => seeded.Next(0, 9))];
        var forecaster = new FlowForecast(history, WorkCalendar.Default, businessDaysOnly: false);
        var start = new DateOnly(2026, 12, 7);

        var when = forecaster.When(items, start, seed: 1);
        var whenMs = Median(seed => forecaster.When(items, start, seed));
        var howManyMs = Median(seed => forecaster.HowMany(start, start.AddDays(179), seed));
        var draws = (long)when.Days.P50 * when.Trials;
        var floorMs = Median(seed =>
        {
            var random = new Random((int)seed);
            var total = 0L;
            for (var i = 0L; i < draws; i++)
            {
                total += history[random.Next(history.Length)];
            }

            return total;
        });

        Console.WriteLine($"Forecast of {items:N0} items from 365 days of throughput (mean {history.Average():F1} a day), {when.Trials:N0} trials, median of 21 runs:");
        Console.WriteLine($"  when:      {whenMs:F1} ms  (P50 {when.Days.P50} days, P85 {when.Days.P85}, P95 {when.Days.P95})");
        Console.WriteLine($"  how many:  {howManyMs:F1} ms  (180 days)");
        Console.WriteLine($"  reference: {floorMs:F1} ms to draw and add {draws:N0} numbers with System.Random; when = {whenMs / floorMs:F2} × the reference");
        return 0;
    }

    private static double Median<T>(Func<long, T> run)
    {
        var times = new List<double>();
        for (var seed = 0L; seed < 21; seed++)
        {
            var stopwatch = Stopwatch.StartNew();
            GC.KeepAlive(run(seed));
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
