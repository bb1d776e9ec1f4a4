namespace JiraExport.Core.Analytics;

/// <summary>A point of a chart: on a date or in a category (aging WIP's status columns), with the issue it stands for, if one.</summary>
public sealed record ChartPoint(DateOnly? Date, string? Category, double Value, string? IssueKey = null);

/// <summary>How a series is drawn: <c>points</c> (a scatter), <c>bars</c>, <c>line</c>, or <c>area</c> (stacked, in order, first at the bottom).</summary>
public sealed record ChartSeries(string Name, string Kind, IReadOnlyList<ChartPoint> Points);

/// <summary>A horizontal reference line: a percentile, a median.</summary>
public sealed record ChartMarker(string Label, double Value);

/// <summary>A chart as data: what the SVG draws, and what a client draws itself. <paramref name="Note"/> says what was left out, if anything.</summary>
public sealed record FlowChart(
    string Kind, string Title, string Rule, string ValueLabel, IReadOnlyList<ChartSeries> Series, IReadOnlyList<ChartMarker> Markers, string? Note = null);

/// <summary>The flow charts by the names the API uses.</summary>
public static class FlowChartKinds
{
    public const string CycleTimeScatter = "cycle-time-scatter";
    public const string ThroughputRun = "throughput-run";
    public const string CumulativeFlow = "cumulative-flow";
    public const string AgingWip = "aging-wip";

    public static readonly IReadOnlyList<string> All = [CycleTimeScatter, ThroughputRun, CumulativeFlow, AgingWip];
}

/// <summary>Builds the flow charts from placed items, with the same rules as the figures they draw (<see cref="FlowMetrics"/>).</summary>
public sealed class FlowCharts(FlowMetrics metrics, WorkCalendar calendar)
{
    /// <summary>Items a scatter draws at most: more are a blur on a page, and megabytes of markup. The figure's drill-down has them all.</summary>
    public const int MaxPoints = 5_000;

    public FlowChart Build(string kind, FlowSnapshot snapshot, FlowWindow window) => kind switch
    {
        FlowChartKinds.CycleTimeScatter => Scatter(snapshot.Items, window),
        FlowChartKinds.ThroughputRun => RunChart(snapshot.Items, window),
        FlowChartKinds.CumulativeFlow => CumulativeFlow(snapshot.Items, window),
        FlowChartKinds.AgingWip => AgingWip(snapshot, window),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a flow chart."),
    };

    private FlowChart Scatter(IReadOnlyList<FlowItem> items, FlowWindow window)
    {
        var cycle = metrics.Compute(FlowMetricNames.CycleTime, items, window);
        // The latest finished items, when there are too many to draw; the percentiles are of them all.
        var points = cycle.Values.TakeLast(MaxPoints).Select(v => new ChartPoint(calendar.DateOf(v.Item.End!.Value), null, v.Days!.Value, v.Item.Issue.Key)).ToList();
        return new FlowChart(FlowChartKinds.CycleTimeScatter, "Cycle time", cycle.Rule, "days",
            [new ChartSeries("Finished items", "points", points)], Percentiles(cycle.Distribution), LeftOut(cycle.Values.Count, "The latest"));
    }

    private FlowChart RunChart(IReadOnlyList<FlowItem> items, FlowWindow window)
    {
        var throughput = metrics.Compute(FlowMetricNames.Throughput, items, window);
        var counts = throughput.Series.Select(p => p.Count).Order().ToArray();
        var median = counts.Length == 0 ? 0 : FlowDistribution.Percentile(counts, 50);
        return new FlowChart(FlowChartKinds.ThroughputRun, "Throughput", throughput.Rule, "items",
            [new ChartSeries("Finished", "bars", [.. throughput.Series.Select(p => new ChartPoint(p.Date, null, p.Count))])],
            [new ChartMarker($"median {median}", median)]);
    }

    /// <summary>Three bands by the definition, at the end of each day: finished, in progress (the WIP figure), and the rest of the issues created by then.</summary>
    private FlowChart CumulativeFlow(IReadOnlyList<FlowItem> items, FlowWindow window)
    {
        var wip = metrics.Compute(FlowMetricNames.Wip, items, window).Series;
        var created = DailyCumulative(items.Select(i => (DateTimeOffset?)i.Issue.Created), window);
        var finished = DailyCumulative(items.Select(i => i.End), window);
        var done = new List<ChartPoint>();
        var inProgress = new List<ChartPoint>();
        var toDo = new List<ChartPoint>();
        for (var day = 0; day < wip.Count; day++)
        {
            var date = wip[day].Date;
            done.Add(new ChartPoint(date, null, finished[day]));
            inProgress.Add(new ChartPoint(date, null, wip[day].Count));
            toDo.Add(new ChartPoint(date, null, Math.Max(0, created[day] - finished[day] - wip[day].Count)));
        }

        return new FlowChart(FlowChartKinds.CumulativeFlow, "Cumulative flow",
            "At the end of each day: items finished by then, items in progress (as the WIP figure counts them), and the other items created by then.",
            "items", [new ChartSeries("Finished", "area", done), new ChartSeries("In progress", "area", inProgress), new ChartSeries("To do", "area", toDo)], []);
    }

    private FlowChart AgingWip(FlowSnapshot snapshot, FlowWindow window)
    {
        var age = metrics.Compute(FlowMetricNames.Age, snapshot.Items, window);
        var cycle = metrics.Compute(FlowMetricNames.CycleTime, snapshot.Items, window);
        // The oldest items, when there are too many to draw: they are the ones to act on.
        var points = age.Values.Take(MaxPoints).Select(v => new ChartPoint(null, snapshot.StatusName(v.Item.Issue.StatusId), v.Days!.Value, v.Item.Issue.Key))
            .OrderBy(p => p.Category, StringComparer.Ordinal).ToList();
        return new FlowChart(FlowChartKinds.AgingWip, "Aging work in progress",
            age.Rule + " Lines: the cycle-time percentiles of the window, which an item older than P85 has outlived.", "days",
            [new ChartSeries("In progress", "points", points)], Percentiles(cycle.Distribution), LeftOut(age.Values.Count, "The oldest"));
    }

    private int[] DailyCumulative(IEnumerable<DateTimeOffset?> instants, FlowWindow window)
    {
        var days = window.To.DayNumber - window.From.DayNumber + 1;
        var counts = new int[days];
        var before = 0;
        foreach (var instant in instants)
        {
            if (instant is not { } at)
            {
                continue;
            }

            var day = calendar.DateOf(at).DayNumber - window.From.DayNumber;
            if (day < 0)
            {
                before++;
            }
            else if (day < days)
            {
                counts[day]++;
            }
        }

        for (int day = 0, running = before; day < days; day++)
        {
            running += counts[day];
            counts[day] = running;
        }

        return counts;
    }

    private static string? LeftOut(int count, string which) =>
        count > MaxPoints ? $"{which} {MaxPoints:N0} of {count:N0} items are drawn; the figure's items list has them all." : null;

    private static IReadOnlyList<ChartMarker> Percentiles(FlowDistribution? distribution) => distribution is null
        ? []
        : [new("50%", distribution.P50), new("70%", distribution.P70), new("85%", distribution.P85), new("95%", distribution.P95)];
}
