namespace JiraExport.Core.Analytics;

/// <summary>
/// A process-behaviour chart's natural process limits (an XmR chart, after Wheeler): the mean of the baseline points, the
/// average moving range between consecutive ones, and the mean ± 2.66 average moving ranges. Counts cannot go below zero,
/// so neither does the lower limit.
/// </summary>
public sealed record ProcessLimits(double Mean, double AverageMovingRange, double Lower, double Upper, int BaselinePoints);

/// <summary>A signal: the points (indexes into the series, both included) that broke a rule.</summary>
public sealed record ProcessSignal(string Rule, int First, int Last, string Description);

/// <summary>The two detection rules stated with every insight that uses them.</summary>
public static class ProcessBehaviour
{
    public const string BeyondLimit = "beyond-limit";
    public const string Run = "run-of-8";
    public const int RunLength = 8;

    /// <summary>Wheeler's scaling constant for individual values: 3 / d2, d2 = 1.128 for moving ranges of two.</summary>
    private const double Scale = 2.66;

    public const string Rules =
        "Natural process limits: the baseline's mean ± 2.66 × its average moving range (never below 0). Signals: a point beyond a limit; "
        + "8 points in a row on one side of the mean.";

    /// <summary>The limits from the first <paramref name="baseline"/> points; null with fewer than two.</summary>
    public static ProcessLimits? Limits(IReadOnlyList<double> values, int baseline)
    {
        baseline = Math.Min(baseline, values.Count);
        if (baseline < 2)
        {
            return null;
        }

        var mean = values.Take(baseline).Average();
        var movingRange = Enumerable.Range(1, baseline - 1).Average(i => Math.Abs(values[i] - values[i - 1]));
        return new ProcessLimits(Round(mean), Round(movingRange), Round(Math.Max(0, mean - (Scale * movingRange))), Round(mean + (Scale * movingRange)), baseline);
    }

    /// <summary>Every point beyond a limit, and every run of <see cref="RunLength"/> or more points on one side of the mean (a point on it ends a run).</summary>
    public static List<ProcessSignal> Signals(IReadOnlyList<double> values, ProcessLimits limits)
    {
        var signals = new List<ProcessSignal>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] > limits.Upper)
            {
                signals.Add(new ProcessSignal(BeyondLimit, i, i, $"{values[i]:0.##} is above the upper limit {limits.Upper:0.##}."));
            }
            else if (values[i] < limits.Lower)
            {
                signals.Add(new ProcessSignal(BeyondLimit, i, i, $"{values[i]:0.##} is below the lower limit {limits.Lower:0.##}."));
            }
        }

        var start = 0;
        for (var i = 1; i <= values.Count; i++)
        {
            if (i < values.Count && Side(values[i], limits.Mean) != 0 && Side(values[i], limits.Mean) == Side(values[start], limits.Mean))
            {
                continue;
            }

            if (i - start >= RunLength && Side(values[start], limits.Mean) != 0)
            {
                var side = Side(values[start], limits.Mean) > 0 ? "above" : "below";
                signals.Add(new ProcessSignal(Run, start, i - 1, $"{i - start} points in a row {side} the mean {limits.Mean:0.##}."));
            }

            start = i;
        }

        return [.. signals.OrderBy(s => s.First).ThenBy(s => s.Rule, StringComparer.Ordinal)];
    }

    private static int Side(double value, double mean) => Math.Sign(Math.Round(value - mean, 9));

    private static double Round(double value) => Math.Round(value, 2);
}
