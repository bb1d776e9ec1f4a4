using System.Globalization;
using JiraExport.Core.Analytics;
using JiraExport.Core.Reports;

namespace JiraExport.Worker.Exports.Reports;

/// <summary>
/// The flow section of a stakeholder pack, from the synced store: the report's own issues (what its JQL matched, nothing
/// else of the connection), the built-in flow definition, the tenant's calendar, the last <see cref="WindowDays"/> days.
/// The same figures, charts, forecast and insights the analytics API gives.
/// </summary>
public sealed class ReportFlowReader(FlowStore store, FlowDefinitions definitions, TimeProvider timeProvider)
{
    public const int WindowDays = 90;

    public async Task<FlowModel> ReadAsync(Guid connectionId, IReadOnlyList<IssueModel> issues, CancellationToken cancellationToken)
    {
        var calendar = await definitions.CalendarAsync(cancellationToken);
        var definition = FlowDefinitions.BuiltIn;
        var matched = issues.Select(i => long.Parse(i.Id, CultureInfo.InvariantCulture)).ToList();
        var snapshot = await store.ReadAsync(connectionId, definition.Rules, [], cancellationToken, matched);
        var now = timeProvider.GetUtcNow();
        var to = calendar.Calendar.DateOf(now);
        var window = new FlowWindow(to.AddDays(1 - WindowDays), to);
        var metrics = new FlowMetrics(definition.Rules, calendar.Calendar, now);
        var cycle = metrics.Compute(FlowMetricNames.CycleTime, snapshot.Items, window);
        var throughput = metrics.Compute(FlowMetricNames.Throughput, snapshot.Items, window);
        var inProgress = metrics.Compute(FlowMetricNames.Age, snapshot.Items, window).Values.Count;
        var charts = new FlowCharts(metrics, calendar.Calendar);
        string Svg(string kind) => SvgChart.Render(charts.Build(kind, snapshot, window));

        return new FlowModel(
            definition.Name, calendar.TimeZone, window.From, window.To, WindowDays,
            new FlowFigureModel(cycle.Values.Count, cycle.Distribution?.P50, cycle.Distribution?.P85, cycle.Distribution?.P95, cycle.Rule),
            throughput.Values.Count, inProgress, Forecast(issues, throughput, calendar.Calendar, definition.Rules, to),
            [.. new FlowInsights(metrics).Flow(snapshot, window).Select(i => new InsightModel(i.Title, i.Outcome, i.Summary, i.Rule))],
            Svg(FlowChartKinds.CycleTimeScatter), Svg(FlowChartKinds.ThroughputRun), Svg(FlowChartKinds.AgingWip));
    }

    /// <summary>When the report's issues not done yet will be; none without throughput to draw from. The seed is printed, so the page can be reproduced.</summary>
    private static ForecastModel? Forecast(IReadOnlyList<IssueModel> issues, FlowFigure throughput, WorkCalendar calendar, FlowDefinition rules, DateOnly today)
    {
        var open = issues.Count(i => i.StatusCategory != "done");
        if (open == 0 || throughput.Values.Count == 0)
        {
            return null;
        }

        var businessDays = rules.Days == DayKind.Business;
        var forecast = new FlowForecast(FlowForecast.History(throughput, calendar, businessDays), calendar, businessDays)
            .When(open, today, Random.Shared.NextInt64(1L << 53));
        return new ForecastModel(forecast.Items, forecast.Seed, forecast.Dates.P50, forecast.Dates.P85, forecast.Dates.P95, forecast.Unfinished, FlowForecast.Rule);
    }
}
