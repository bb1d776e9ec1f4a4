using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
using JiraExport.Core.Analytics;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Contracts;

/// <summary>
/// One edge of the flow: a status <paramref name="Category"/> (<c>new</c>, <c>indeterminate</c>, <c>done</c>: it and the ones
/// after it) or named <paramref name="Statuses"/>, and which <paramref name="Crossing"/> counts (<c>first</c> or <c>last</c>).
/// </summary>
public sealed record FlowBoundaryRequest(string? Category, IReadOnlyList<string>? Statuses, string? Crossing);

/// <summary>
/// When work starts and ends, how days are counted (<c>days</c>: <c>calendar</c> or <c>business</c>; <c>counting</c>:
/// <c>elapsed</c> = end − start, <c>inclusive</c> = end − start + 1), and which issue types count (empty for all).
/// </summary>
public sealed record FlowRulesRequest(FlowBoundaryRequest? Start, FlowBoundaryRequest? End, string? Days, string? Counting, IReadOnlyList<string>? IssueTypes);

public sealed record CreateMetricDefinitionRequest(string? Name, string? Description, FlowRulesRequest? Rules, string? Note) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        AnalyticsValidation.ValidateCreate(this).AsValidationResults();
}

/// <summary>New rules make the definition's next version; the earlier ones stay, for figures computed with them.</summary>
public sealed record UpdateMetricDefinitionRequest(string? Description, FlowRulesRequest? Rules, string? Note) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        AnalyticsValidation.ValidateUpdate(this).AsValidationResults();
}

/// <summary><paramref name="Id"/> is null for the built-in definition.</summary>
public sealed record MetricDefinitionResponse(
    Guid? Id, string Name, string? Description, int Version, FlowDefinition Rules, string? Note, string? CreatedBy, DateTimeOffset? CreatedAt);

/// <summary>The time zone dates are read in (IANA), the weekend (day names), and the holidays.</summary>
public sealed record WorkCalendarRequest(string? TimeZone, IReadOnlyList<string>? Weekend, IReadOnlyList<DateOnly>? Holidays) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        AnalyticsValidation.ValidateCalendar(this).AsValidationResults();
}

/// <summary><paramref name="Version"/> is 0 while the tenant has never set its calendar (UTC, Saturday and Sunday off).</summary>
public sealed record WorkCalendarResponse(string TimeZone, IReadOnlyList<string> Weekend, IReadOnlyList<DateOnly> Holidays, int Version, DateTimeOffset? UpdatedAt);

/// <summary>Which definition version and calendar version a figure used, so it can be computed again.</summary>
public sealed record FlowBasisResponse(Guid? DefinitionId, string DefinitionName, int DefinitionVersion, string TimeZone, int CalendarVersion);

/// <summary>
/// One flow metric over a window: its rule in words, the distribution (cycle time, lead time, age, in days) or the series
/// (throughput, WIP), and the address of the issues behind it (<paramref name="Items"/>).
/// </summary>
public sealed record FlowFigureResponse(
    string Metric,
    string Rule,
    FlowBasisResponse Basis,
    Guid ConnectionId,
    IReadOnlyList<string> ProjectKeys,
    DateOnly From,
    DateOnly To,
    int Count,
    FlowDistribution? Distribution,
    IReadOnlyList<FlowPoint> Series,
    IReadOnlyList<string> UnknownStatuses,
    string Items);

/// <summary>A status transition that started or finished an item.</summary>
public sealed record FlowTransitionResponse(string HistoryId, DateTimeOffset At, string? FromStatus, string? ToStatus);

/// <summary>
/// An issue behind a figure: when it started and finished, the transitions that did it (null where the issue was created
/// in such a status), and its days where the metric counts days.
/// </summary>
public sealed record FlowItemResponse(
    string IssueKey, long IssueId, string? IssueType, DateTimeOffset Created, DateTimeOffset? Start, DateTimeOffset? End, int? Days,
    FlowTransitionResponse? StartedBy, FlowTransitionResponse? FinishedBy);

/// <summary>
/// When <paramref name="Items"/> items will be done, drawn from the daily throughput of <paramref name="HistoryFrom"/> to
/// <paramref name="HistoryTo"/>; <paramref name="Start"/> is the first day counted. The same query with the same
/// <paramref name="Seed"/> over the same history gives the same answer.
/// </summary>
public sealed record WhenForecastResponse(
    int Items, long Seed, int Trials, ForecastCounts Days, ForecastDates Dates, int Unfinished, DateOnly Start, DateOnly HistoryFrom, DateOnly HistoryTo,
    FlowBasisResponse Basis, string Rule);

/// <summary>How many items will be done by <paramref name="Until"/>: P85 is the count 85 % of trials reached at least.</summary>
public sealed record HowManyForecastResponse(
    DateOnly Until, long Seed, int Trials, int Days, ForecastCounts Items, DateOnly Start, DateOnly HistoryFrom, DateOnly HistoryTo,
    FlowBasisResponse Basis, string Rule);

/// <summary>A flow chart as data, what it was computed with, and the address of the same chart as SVG.</summary>
public sealed record FlowChartResponse(FlowChart Chart, FlowBasisResponse Basis, Guid ConnectionId, DateOnly From, DateOnly To, string Svg);

/// <summary>The connection's sprints, latest started first (those not started before them).</summary>
public sealed record SprintListResponse(Guid ConnectionId, IReadOnlyList<SprintFacts> Sprints);

public sealed record SprintReportCounts(int Committed, int AddedAfterStart, int Completed, int NotCompleted, int Removed, int CompletedOutside);

/// <summary>An issue of a sprint report: <paramref name="AddedAt"/> when it joined after the start; its status at the close; when it finished.</summary>
public sealed record SprintReportIssueResponse(
    string Key, long IssueId, string Summary, string? IssueType, bool AddedAfterStart, DateTimeOffset? AddedAt, string? StatusAtClose, DateTimeOffset? FinishedAt);

/// <summary>
/// A sprint report as Jira's shows it, reproduced from the histories as of <paramref name="ClosedAt"/>: the issues committed
/// at the start (whatever became of them), and every issue by outcome; the days are the burndown's and burnup's.
/// </summary>
public sealed record SprintReportResponse(
    SprintFacts Sprint,
    string Rule,
    FlowBasisResponse Basis,
    Guid ConnectionId,
    DateTimeOffset ClosedAt,
    bool Running,
    SprintReportCounts Counts,
    IReadOnlyList<SprintReportIssueResponse> Committed,
    IReadOnlyList<SprintReportIssueResponse> Completed,
    IReadOnlyList<SprintReportIssueResponse> NotCompleted,
    IReadOnlyList<SprintReportIssueResponse> Removed,
    IReadOnlyList<SprintReportIssueResponse> CompletedOutside,
    IReadOnlyList<SprintDay> Days,
    IReadOnlyList<string> UnknownStatuses,
    string? Note)
{
    public static SprintReportResponse Of(
        SprintReport report, FlowBasisResponse basis, Guid connectionId, Func<string?, string?> statusName, IReadOnlyList<string> unknownStatuses)
    {
        List<SprintReportIssueResponse> Issues(IEnumerable<SprintReportIssue> issues) => [.. issues.Select(i => new SprintReportIssueResponse(
            i.Key, i.IssueId, i.Summary, i.IssueType, i.AddedAfterStart, i.AddedAt, statusName(i.StatusIdAtClose), i.FinishedAt))];

        return new SprintReportResponse(
            report.Sprint, SprintReport.Rule, basis, connectionId, report.ClosedAt, report.Running,
            new SprintReportCounts(report.Committed, report.AddedAfterStart, report.Completed, report.NotCompleted, report.Removed, report.CompletedOutside),
            Issues(report.Issues.Where(i => i.Committed)), Issues(report.With(SprintOutcome.Completed)), Issues(report.With(SprintOutcome.NotCompleted)),
            Issues(report.With(SprintOutcome.Removed)), Issues(report.With(SprintOutcome.CompletedOutside)), report.Days, unknownStatuses, report.Note);
    }
}

/// <summary>A sprint chart (burndown, burnup, velocity) as data, what it was computed with, and the address of the same chart as SVG.</summary>
public sealed record SprintChartResponse(FlowChart Chart, FlowBasisResponse Basis, Guid ConnectionId, string Svg);

/// <summary>Every insight rule, applied to the window's flow and to the latest closed sprints (of <paramref name="BoardId"/>, if named).</summary>
public sealed record InsightsResponse(
    IReadOnlyList<Insight> Insights, FlowBasisResponse Basis, Guid ConnectionId, IReadOnlyList<string> ProjectKeys, long? BoardId, DateOnly From, DateOnly To);

/// <summary>
/// A widget: <paramref name="Kind"/> <c>metric</c> (a flow metric's figure) or <c>chart</c> (a flow chart), the metric's
/// or chart's <paramref name="Name"/>, and its query: connection, definition, projects, the last <paramref name="WindowDays"/> days (90 if left out).
/// </summary>
public sealed record DashboardWidgetRequest(
    string? Title, string? Kind, string? Name, Guid? ConnectionId, Guid? DefinitionId, IReadOnlyList<string>? Projects, int? WindowDays);

public sealed record DashboardRequest(string? Name, IReadOnlyList<DashboardWidgetRequest>? Widgets) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        AnalyticsValidation.ValidateDashboard(this).AsValidationResults();
}

/// <summary>A dashboard and the address of its widgets' data.</summary>
public sealed record DashboardResponse(
    Guid Id, string Name, IReadOnlyList<DashboardWidget> Widgets, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Data);

/// <summary>
/// One widget's data: the figure (count, distribution, series) of a metric widget or the chart of a chart widget (drawn
/// as SVG too when asked), with what it was computed with; or, when its query no longer holds (a deleted definition or
/// connection), the problem.
/// </summary>
public sealed record DashboardWidgetData(
    int Index, string Title, string Kind, string Name, FlowBasisResponse? Basis, Guid? ConnectionId, DateOnly? From, DateOnly? To, int? Count,
    FlowDistribution? Distribution, IReadOnlyList<FlowPoint>? Series, FlowChart? Chart, string? Svg, string? Problem);

public sealed record DashboardDataResponse(Guid Id, string Name, DateTimeOffset ComputedAt, IReadOnlyList<DashboardWidgetData> Widgets);
