namespace JiraExport.Core.Analytics;

/// <summary>The five flow metrics, by the names the API uses.</summary>
public static class FlowMetricNames
{
    public const string CycleTime = "cycle-time";
    public const string LeadTime = "lead-time";
    public const string Throughput = "throughput";
    public const string Wip = "wip";
    public const string Age = "age";

    public static readonly IReadOnlyList<string> All = [CycleTime, LeadTime, Throughput, Wip, Age];
}

/// <summary>The dates a figure covers, both included, in the tenant's calendar; throughput is counted per day or per week.</summary>
public sealed record FlowWindow(DateOnly From, DateOnly To, FlowBucket Bucket = FlowBucket.Day);

public enum FlowBucket
{
    Day,
    Week,
}

/// <summary>One issue behind a figure, with its days (cycle time, lead time, age) or null where the metric counts items.</summary>
public sealed record FlowValue(FlowItem Item, int? Days);

/// <summary>Percentiles by nearest rank: the smallest value at least p % of the items do not exceed.</summary>
public sealed record FlowDistribution(int Min, int P50, int P70, int P85, int P95, int Max, double Mean)
{
    public static FlowDistribution? Of(IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        return new FlowDistribution(sorted[0], Percentile(sorted, 50), Percentile(sorted, 70), Percentile(sorted, 85), Percentile(sorted, 95),
            sorted[^1], Math.Round(sorted.Average(), 2));
    }

    public static int Percentile(int[] sorted, int percent) => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
}

/// <summary>A point of a series: the bucket's first date and its count.</summary>
public sealed record FlowPoint(DateOnly Date, int Count);

/// <summary>A computed figure and the issues it came from.</summary>
public sealed record FlowFigure(string Metric, string Rule, FlowDistribution? Distribution, IReadOnlyList<FlowPoint> Series, IReadOnlyList<FlowValue> Values);

/// <summary>
/// Computes the flow metrics from placed items. Every figure carries its rule in words, so a reader of a report knows
/// what was counted without reading this code.
/// </summary>
public sealed class FlowMetrics(FlowDefinition definition, WorkCalendar calendar, DateTimeOffset now)
{
    public FlowFigure Compute(string metric, IReadOnlyList<FlowItem> items, FlowWindow window) => metric switch
    {
        FlowMetricNames.CycleTime => Durations(metric, FinishedIn(items, window), i => i.Start!.Value,
            "Finished items in the window: days from the start crossing to the end crossing."),
        FlowMetricNames.LeadTime => Durations(metric, FinishedIn(items, window), i => i.Issue.Created,
            "Finished items in the window: days from creation to the end crossing."),
        FlowMetricNames.Age => Ages(items),
        FlowMetricNames.Throughput => Throughput(items, window),
        FlowMetricNames.Wip => Wip(items, window),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a flow metric."),
    };

    private List<FlowItem> FinishedIn(IReadOnlyList<FlowItem> items, FlowWindow window) =>
        items.Where(i => i.End is { } end && calendar.DateOf(end) is var date && date >= window.From && date <= window.To).ToList();

    private int Days(DateTimeOffset from, DateTimeOffset to) =>
        calendar.Days(calendar.DateOf(from), calendar.DateOf(to), definition.Days, definition.Counting);

    private FlowFigure Durations(string metric, List<FlowItem> finished, Func<FlowItem, DateTimeOffset> from, string rule)
    {
        var values = finished.Select(i => new FlowValue(i, Days(from(i), i.End!.Value))).OrderBy(v => v.Item.End).ThenBy(v => v.Item.Issue.IssueId).ToList();
        return new FlowFigure(metric, rule, FlowDistribution.Of([.. values.Select(v => v.Days!.Value)]), [], values);
    }

    private FlowFigure Ages(IReadOnlyList<FlowItem> items)
    {
        var values = items.Where(i => i.IsInProgress).Select(i => new FlowValue(i, Days(i.Start!.Value, now)))
            .OrderByDescending(v => v.Days).ThenBy(v => v.Item.Issue.IssueId).ToList();
        return new FlowFigure(FlowMetricNames.Age, "Items in progress now: days from the start crossing to today.",
            FlowDistribution.Of([.. values.Select(v => v.Days!.Value)]), [], values);
    }

    private FlowFigure Throughput(IReadOnlyList<FlowItem> items, FlowWindow window)
    {
        var finished = FinishedIn(items, window);
        var counts = new Dictionary<DateOnly, int>();
        foreach (var item in finished)
        {
            var bucket = BucketOf(calendar.DateOf(item.End!.Value), window.Bucket);
            counts[bucket] = counts.GetValueOrDefault(bucket) + 1;
        }

        var series = Buckets(window).Select(b => new FlowPoint(b, counts.GetValueOrDefault(b))).ToList();
        var rule = window.Bucket == FlowBucket.Week
            ? "Items finished per week (weeks start on Monday), by the date of the end crossing."
            : "Items finished per day, by the date of the end crossing.";
        return new FlowFigure(FlowMetricNames.Throughput, rule, null, series,
            [.. finished.OrderBy(i => i.End).ThenBy(i => i.Issue.IssueId).Select(i => new FlowValue(i, null))]);
    }

    private FlowFigure Wip(IReadOnlyList<FlowItem> items, FlowWindow window)
    {
        // Counted with a difference array: +1 on the start date, −1 on the day after the last day in progress.
        var days = window.To.DayNumber - window.From.DayNumber + 1;
        var change = new int[days + 1];
        var counted = new List<FlowItem>();
        foreach (var item in items.Where(i => i.Start is not null))
        {
            var first = Math.Max(calendar.DateOf(item.Start!.Value).DayNumber, window.From.DayNumber);
            var stop = item.Stopped is { } stopped ? calendar.DateOf(stopped).DayNumber : int.MaxValue;
            var last = Math.Min(stop - 1, window.To.DayNumber);
            if (first > last)
            {
                continue;
            }

            change[first - window.From.DayNumber]++;
            change[last - window.From.DayNumber + 1]--;
            counted.Add(item);
        }

        var series = new List<FlowPoint>(days);
        for (int day = 0, running = 0; day < days; day++)
        {
            running += change[day];
            series.Add(new FlowPoint(window.From.AddDays(day), running));
        }

        return new FlowFigure(FlowMetricNames.Wip,
            "Items in progress at the end of each day: started on or before it, and finished or moved back after it.",
            null, series, [.. counted.OrderBy(i => i.Start).ThenBy(i => i.Issue.IssueId).Select(i => new FlowValue(i, null))]);
    }

    private static DateOnly BucketOf(DateOnly date, FlowBucket bucket) =>
        bucket == FlowBucket.Week ? date.AddDays(-(((int)date.DayOfWeek + 6) % 7)) : date;

    private static IEnumerable<DateOnly> Buckets(FlowWindow window)
    {
        var step = window.Bucket == FlowBucket.Week ? 7 : 1;
        for (var date = BucketOf(window.From, window.Bucket); date <= window.To; date = date.AddDays(step))
        {
            yield return date;
        }
    }
}
