namespace JiraExport.Core.Analytics;

/// <summary>The sprint charts by the names the API uses.</summary>
public static class SprintChartKinds
{
    public const string Burndown = "burndown";
    public const string Burnup = "burnup";
    public const string Velocity = "velocity";

    /// <summary>The charts of one sprint; velocity is drawn over several.</summary>
    public static readonly IReadOnlyList<string> OfOneSprint = [Burndown, Burnup];
}

/// <summary>Draws sprint reports as charts: the same data the reports give, in issues.</summary>
public static class SprintCharts
{
    public static FlowChart Build(string kind, SprintReport report) => kind switch
    {
        SprintChartKinds.Burndown => Burndown(report),
        SprintChartKinds.Burnup => Burnup(report),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a chart of one sprint."),
    };

    /// <summary>Committed against completed per sprint, with the scope added after the start and removed before the close.</summary>
    public static FlowChart Velocity(IReadOnlyList<SprintReport> reports)
    {
        // Two boards may both have a "Sprint 1": a repeated name carries its id.
        var repeated = reports.GroupBy(r => r.Sprint.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        string Label(SprintReport r) => repeated.Contains(r.Sprint.Name) ? $"{r.Sprint.Name} (#{r.Sprint.SprintId})" : r.Sprint.Name;
        ChartSeries Series(string name, Func<SprintReport, int> value) =>
            new(name, "bars", [.. reports.Select(r => new ChartPoint(null, Label(r), value(r)))]);

        var completed = reports.Select(r => r.Completed).Order().ToArray();
        var average = completed.Length == 0 ? 0 : Math.Round(completed.Average(), 1);
        return new FlowChart(SprintChartKinds.Velocity, "Velocity",
            "Per closed sprint, oldest first: issues committed at the start, completed by the close, added after the start, removed before the close. "
            + SprintReport.Rule,
            "issues",
            [Series("Committed", r => r.Committed), Series("Completed", r => r.Completed), Series("Added", r => r.AddedAfterStart), Series("Removed", r => r.Removed)],
            completed.Length == 0 ? [] : [new ChartMarker("average completed", average)]);
    }

    private static FlowChart Burndown(SprintReport report)
    {
        var remaining = report.Days.Select(d => new ChartPoint(d.Date, null, d.Remaining)).ToList();
        var series = new List<ChartSeries> { new("Remaining", "line", remaining) };
        if (report.Days.Count > 0 && report.PlannedLastDay is { } last)
        {
            // From the committed scope on the first day down to none on the planned last day.
            var first = report.Days[0].Date;
            series.Add(new ChartSeries("Guideline", "line", [new(first, null, report.Committed), new(last < first ? first : last, null, 0)]));
        }

        return new FlowChart(SprintChartKinds.Burndown, $"Burndown: {report.Sprint.Name}",
            "At the end of each day: issues in the sprint that are not finished. " + SprintReport.Rule, "issues", series, [], report.Note);
    }

    private static FlowChart Burnup(SprintReport report) =>
        new(SprintChartKinds.Burnup, $"Burnup: {report.Sprint.Name}",
            "At the end of each day: issues in the sprint (its scope), and those of them finished. " + SprintReport.Rule, "issues",
            [
                new ChartSeries("Scope", "line", [.. report.Days.Select(d => new ChartPoint(d.Date, null, d.Scope))]),
                new ChartSeries("Done", "line", [.. report.Days.Select(d => new ChartPoint(d.Date, null, d.Done))]),
            ],
            [], report.Note);
}
