namespace JiraExport.Core.Analytics;

/// <summary>The insights by the names the API uses.</summary>
public static class InsightKinds
{
    public const string AgingBeyondP85 = "aging-beyond-p85";
    public const string ThroughputShift = "throughput-shift";
    public const string WipShift = "wip-shift";
    public const string SprintScopeChange = "sprint-scope-change";
}

/// <summary>Whether an insight's rule found something, found nothing, or had too little data to be applied.</summary>
public static class InsightOutcomes
{
    public const string Signal = "signal";
    public const string None = "none";
    public const string NotEnoughData = "not-enough-data";
}

/// <summary>An issue an insight names, with its figure (an age in days).</summary>
public sealed record InsightIssue(string Key, long IssueId, string? Status, int Days);

/// <summary>A point an insight looked at: a week's first date or a sprint's name, and its value.</summary>
public sealed record InsightPoint(string Label, double Value);

/// <summary>
/// One rule applied to the tenant's data: what it checks (<paramref name="Rule"/>), what it found, and the evidence: the
/// issues, or the points with their limits and the signals among them. Every rule is reported, with a signal or not.
/// </summary>
public sealed record Insight(
    string Kind, string Title, string Rule, string Outcome, string Summary, IReadOnlyList<InsightIssue> Issues, IReadOnlyList<InsightPoint> Points,
    ProcessLimits? Limits, IReadOnlyList<ProcessSignal> Signals);

/// <summary>A closed sprint's scope change, as its report counts it.</summary>
public sealed record SprintScopeFigures(string Sprint, int Committed, int Added, int Removed)
{
    public int Change => Added + Removed;
}

/// <summary>Statistical signals a person acts on, each with its rule stated: no black box.</summary>
public sealed class FlowInsights(FlowMetrics metrics)
{
    /// <summary>Full weeks a shift needs: the first half sets the limits (at least six points), the second is judged with it.</summary>
    public const int MinWeeks = 12;

    /// <summary>Closed sprints a scope-change signal needs: fewer give limits too wide to mean anything.</summary>
    public const int MinSprints = 5;

    /// <summary>Items an insight names at most; the figure's drill-down has them all.</summary>
    public const int MaxIssues = 100;

    public IReadOnlyList<Insight> Flow(FlowSnapshot snapshot, FlowWindow window) =>
        [Aging(snapshot, window), Shift(InsightKinds.ThroughputShift, snapshot, window), Shift(InsightKinds.WipShift, snapshot, window)];

    private Insight Aging(FlowSnapshot snapshot, FlowWindow window)
    {
        const string title = "Items older than the 85th percentile of cycle time";
        const string rule = "Items in progress now whose age is above the 85th percentile of the cycle times of the items finished in the window: "
            + "85 % of finished work took no longer, so these are the ones to look at first.";
        var cycle = metrics.Compute(FlowMetricNames.CycleTime, snapshot.Items, window).Distribution;
        if (cycle is null)
        {
            return new Insight(InsightKinds.AgingBeyondP85, title, rule, InsightOutcomes.NotEnoughData,
                "No item finished in the window, so there is no 85th percentile to compare with; widen the window.", [], [], null, []);
        }

        var old = metrics.Compute(FlowMetricNames.Age, snapshot.Items, window).Values.Where(v => v.Days > cycle.P85).ToList();
        var issues = old.Take(MaxIssues).Select(v => new InsightIssue(v.Item.Issue.Key, v.Item.Issue.IssueId, snapshot.StatusName(v.Item.Issue.StatusId), v.Days!.Value)).ToList();
        return new Insight(InsightKinds.AgingBeyondP85, title, rule, old.Count > 0 ? InsightOutcomes.Signal : InsightOutcomes.None,
            old.Count > 0
                ? $"{old.Count} item(s) in progress are older than {cycle.P85} days (P85 of cycle time); the oldest, {issues[0].Key}, is {issues[0].Days} days old."
                : $"No item in progress is older than {cycle.P85} days (P85 of cycle time).",
            issues, [], null, []);
    }

    /// <summary>Weekly throughput (finished per full week) or weekly WIP (in progress at the end of each full week) on a process-behaviour chart.</summary>
    private Insight Shift(string kind, FlowSnapshot snapshot, FlowWindow window)
    {
        var throughput = kind == InsightKinds.ThroughputShift;
        var title = throughput ? "Throughput shift" : "WIP shift";
        var what = throughput
            ? "Items finished per full week (Monday to Sunday) of the window"
            : "Items in progress at the end of each full week (Sunday) of the window";
        var rule = $"{what}, on a process-behaviour chart with limits from the first half of the weeks. {ProcessBehaviour.Rules}";

        // Only whole weeks: a partial first or last week would read as a drop.
        var firstMonday = window.From.AddDays((7 - (((int)window.From.DayOfWeek + 6) % 7)) % 7);
        var weeks = new List<DateOnly>();
        for (var monday = firstMonday; monday.AddDays(6) <= window.To; monday = monday.AddDays(7))
        {
            weeks.Add(monday);
        }

        if (weeks.Count < MinWeeks)
        {
            return new Insight(kind, title, rule, InsightOutcomes.NotEnoughData,
                $"The window holds {weeks.Count} full weeks; a shift needs at least {MinWeeks}. Widen the window.", [], [], null, []);
        }

        List<double> values;
        if (throughput)
        {
            var weekly = metrics.Compute(FlowMetricNames.Throughput, snapshot.Items, window with { Bucket = FlowBucket.Week }).Series.ToDictionary(p => p.Date, p => p.Count);
            values = [.. weeks.Select(w => (double)weekly.GetValueOrDefault(w))];
        }
        else
        {
            var daily = metrics.Compute(FlowMetricNames.Wip, snapshot.Items, window).Series.ToDictionary(p => p.Date, p => p.Count);
            values = [.. weeks.Select(w => (double)daily.GetValueOrDefault(w.AddDays(6)))];
        }

        var limits = ProcessBehaviour.Limits(values, weeks.Count / 2)!;
        var signals = ProcessBehaviour.Signals(values, limits);
        var points = weeks.Select((w, i) => new InsightPoint(w.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), values[i])).ToList();
        return new Insight(kind, title, rule, signals.Count > 0 ? InsightOutcomes.Signal : InsightOutcomes.None,
            signals.Count > 0
                ? $"{signals.Count} signal(s); the first: the week of {points[signals[0].First].Label}: {signals[0].Description}"
                : $"Every week is within {limits.Lower:0.##} to {limits.Upper:0.##} and no run of {ProcessBehaviour.RunLength} is on one side of the mean {limits.Mean:0.##}.",
            [], points, limits, signals);
    }

    /// <summary>Scope added after the start plus scope removed before the close, per closed sprint, on a process-behaviour chart of all of them.</summary>
    /// <param name="sprints">Null when the sprints held too many issues to be read.</param>
    public static Insight ScopeChange(IReadOnlyList<SprintScopeFigures>? sprints)
    {
        const string title = "Sprints with unusual scope change";
        var rule = "Per closed sprint, oldest first: issues added after the start plus issues removed before the close, on a process-behaviour "
            + $"chart with limits from all the sprints shown. A sprint above the upper limit changed scope more than the team's usual. {ProcessBehaviour.Rules}";
        if (sprints is null)
        {
            return new Insight(InsightKinds.SprintScopeChange, title, rule, InsightOutcomes.NotEnoughData,
                $"More than {SprintStore.MaxIssues:N0} issues have been in these sprints; name one board.", [], [], null, []);
        }

        if (sprints.Count < MinSprints)
        {
            return new Insight(InsightKinds.SprintScopeChange, title, rule, InsightOutcomes.NotEnoughData,
                $"{sprints.Count} closed sprint(s); unusual scope change needs at least {MinSprints}.", [], [], null, []);
        }

        var values = sprints.Select(s => (double)s.Change).ToList();
        var limits = ProcessBehaviour.Limits(values, values.Count)!;
        // Fewer changes than usual are no problem: only sprints above the upper limit are named.
        var signals = ProcessBehaviour.Signals(values, limits).Where(s => s.Rule == ProcessBehaviour.BeyondLimit && values[s.First] > limits.Upper).ToList();
        var points = sprints.Select(s => new InsightPoint(s.Sprint, s.Change)).ToList();
        return new Insight(InsightKinds.SprintScopeChange, title, rule, signals.Count > 0 ? InsightOutcomes.Signal : InsightOutcomes.None,
            signals.Count > 0
                ? $"{string.Join(", ", signals.Select(s => $"{sprints[s.First].Sprint} ({sprints[s.First].Change} changed, {sprints[s.First].Committed} committed)"))} above the upper limit {limits.Upper:0.##}."
                : $"Every sprint's scope change is within the upper limit {limits.Upper:0.##}.",
            [], points, limits, signals);
    }
}
