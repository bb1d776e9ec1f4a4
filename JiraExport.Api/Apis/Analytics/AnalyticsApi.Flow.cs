using System.Globalization;
using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// What a flow figure is computed over: a connection (the tenant's only one if left out), projects, a definition and
/// version (the built-in one if left out), and dates of the tenant's calendar (the last 90 days if left out).
/// </summary>
public sealed record FlowQuery(
    [FromQuery(Name = "connectionId")] Guid? ConnectionId,
    [FromQuery(Name = "project")] string[]? Projects,
    [FromQuery(Name = "definitionId")] Guid? DefinitionId,
    [FromQuery(Name = "definitionVersion")] int? DefinitionVersion,
    [FromQuery(Name = "from")] DateOnly? From,
    [FromQuery(Name = "to")] DateOnly? To,
    [FromQuery(Name = "bucket")] string? Bucket);

/// <summary>The handlers of <c>analytics/flow</c>: the five flow metrics and the issues behind each.</summary>
public static partial class AnalyticsApi
{
    private const int DefaultWindowDays = 90;
    private const int MaxWindowDays = 3 * 366;

    /// <summary>Before any Jira: an earlier date is a mistake, and far dates would only walk the calendar's edges.</summary>
    private static readonly DateOnly EarliestDate = new(1990, 1, 1);

    public static async Task<Results<Ok<FlowFigureResponse>, ValidationProblem, ProblemHttpResult>> GetFlowFigure(
        string metric, [AsParameters] FlowQuery query, HttpRequest request, JiraExportDbContext db, FlowDefinitions definitions, FlowStore store,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (NotOneOf(metric, FlowMetricNames.All, "flow metric") is { } unknownMetric)
        {
            return unknownMetric;
        }

        var computed = await PrepareAsync(query, db, definitions, store, timeProvider, cancellationToken);
        if (computed.Invalid is { } invalid)
        {
            return invalid;
        }

        if (computed.Missing is { } missing)
        {
            return missing;
        }

        var flow = computed.Result!;
        var figure = flow.Figure(metric);
        return TypedResults.Ok(new FlowFigureResponse(
            figure.Metric, figure.Rule, flow.Basis, flow.ConnectionId, query.Projects ?? [], flow.Window.From, flow.Window.To, figure.Values.Count,
            figure.Distribution, figure.Series, flow.Snapshot.Statuses.UnknownStatuses, $"{request.PathBase}{request.Path}/items{request.QueryString}"));
    }

    /// <summary>The issues behind a figure, in the figure's order, with the transitions that started and finished each.</summary>
    public static async Task<Results<Ok<ListPage<FlowItemResponse>>, ValidationProblem, ProblemHttpResult>> ListFlowItems(
        string metric, [AsParameters] FlowQuery query, int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, FlowDefinitions definitions,
        FlowStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? ListPages.DefaultLimit;
        var offset = 0;
        if (pageSize is < 1 or > ListPages.MaxLimit || (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > 10_000_000)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"A page holds 1 to {ListPages.MaxLimit} items; the cursor is the one the previous page handed out."],
            });
        }

        if (NotOneOf(metric, FlowMetricNames.All, "flow metric") is { } unknownMetric)
        {
            return unknownMetric;
        }

        var computed = await PrepareAsync(query, db, definitions, store, timeProvider, cancellationToken);
        if (computed.Invalid is { } invalid)
        {
            return invalid;
        }

        if (computed.Missing is { } missing)
        {
            return missing;
        }

        var figure = computed.Result!.Figure(metric);
        var connectionId = computed.Result.ConnectionId;
        var page = figure.Values.Skip(offset).Take(pageSize).ToList();
        var transitions = (await store.TransitionsAsync(connectionId, [.. page.Select(v => v.Item.Issue.IssueId)], cancellationToken))
            .ToLookup(t => t.IssueId);
        FlowTransitionResponse? At(long issueId, DateTimeOffset? at) =>
            transitions[issueId].FirstOrDefault(t => t.At == at) is { } t ? new FlowTransitionResponse(t.HistoryId, t.At, t.FromStatus, t.ToStatus) : null;
        var items = page.Select(v => new FlowItemResponse(
            v.Item.Issue.Key, v.Item.Issue.IssueId, v.Item.Issue.IssueType, v.Item.Issue.Created, v.Item.Start, v.Item.End, v.Days,
            At(v.Item.Issue.IssueId, v.Item.Start), At(v.Item.Issue.IssueId, v.Item.End))).ToList();
        var next = offset + pageSize < figure.Values.Count ? (offset + pageSize).ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(ListPages.Create(request, items, next, i => ListPages.V2($"/issues/{i.IssueKey}?connectionId={connectionId}")));
    }

    /// <summary>A flow query's placed issues and what they were placed with, from which its figures and charts are computed.</summary>
    private sealed record FlowComputation(
        FlowSnapshot Snapshot, FlowMetrics Metrics, FlowBasisResponse Basis, Guid ConnectionId, FlowWindow Window,
        ResolvedDefinition Definition, ResolvedCalendar Calendar)
    {
        public FlowFigure Figure(string metric) => Metrics.Compute(metric, Snapshot.Items, Window);
    }

    /// <summary>The computation, or why there is none: the query's mistakes, or what it names that the tenant does not have.</summary>
    private readonly record struct Computed(FlowComputation? Result, ValidationProblem? Invalid = null, ProblemHttpResult? Missing = null);

    /// <summary>404 for a name that is not one of <paramref name="names"/>.</summary>
    private static ProblemHttpResult? NotOneOf(string name, IReadOnlyList<string> names, string what) => names.Contains(name)
        ? null
        : TypedResults.Problem(title: $"No such {what}", detail: $"The {what}s are {string.Join(", ", names)}.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Checks a flow query, then reads the connection's issues placed by the definition it names.</summary>
    private static async Task<Computed> PrepareAsync(
        FlowQuery query, JiraExportDbContext db, FlowDefinitions definitions, FlowStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var calendar = await definitions.CalendarAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var (earliest, latest) = (EarliestDate, calendar.Calendar.DateOf(now).AddDays(MaxWindowDays));
        if (query.From < earliest || query.From > latest || query.To < earliest || query.To > latest)
        {
            errors["from"] = [$"Dates are from {earliest:yyyy-MM-dd} to {latest:yyyy-MM-dd}."];
            return new(null, Invalid: TypedResults.ValidationProblem(errors));
        }

        var to = query.To ?? calendar.Calendar.DateOf(now);
        var from = query.From ?? to.AddDays(1 - DefaultWindowDays);
        if (from > to || to.DayNumber - from.DayNumber >= MaxWindowDays)
        {
            errors["from"] = [$"From is on or before to, and a window is at most {MaxWindowDays} days."];
        }

        if (query.Bucket is not (null or "day" or "week"))
        {
            errors["bucket"] = ["Throughput is counted per \"day\" or per \"week\"."];
        }

        if (query.Projects is { Length: > 50 })
        {
            errors["project"] = ["At most 50 projects."];
        }

        var connectionId = query.ConnectionId ?? Guid.Empty;
        if (query.ConnectionId is null)
        {
            var connections = await db.JiraConnections.AsNoTracking().Select(c => c.Id).Take(2).ToListAsync(cancellationToken);
            if (connections.Count == 1)
            {
                connectionId = connections[0];
            }
            else
            {
                errors["connectionId"] = ["Name the connection (the tenant has more than one, or none)."];
            }
        }
        else if (!await db.JiraConnections.AnyAsync(c => c.Id == connectionId, cancellationToken))
        {
            return new(null, Missing: ConnectionsApi.NotFoundProblem(connectionId));
        }

        if (errors.Count > 0)
        {
            return new(null, Invalid: TypedResults.ValidationProblem(errors));
        }

        if (await definitions.FindAsync(query.DefinitionId, query.DefinitionVersion, cancellationToken) is not { } definition)
        {
            return new(null, Missing: TypedResults.Problem(title: "Definition not found",
                detail: $"No flow definition {query.DefinitionId?.ToString() ?? FlowDefinitions.BuiltInName} with version {query.DefinitionVersion} exists in this tenant.",
                statusCode: StatusCodes.Status404NotFound));
        }

        var window = new FlowWindow(from, to, query.Bucket == "week" ? FlowBucket.Week : FlowBucket.Day);
        var projects = (query.Projects ?? []).Select(p => p.ToUpperInvariant()).ToList();
        var snapshot = await store.ReadAsync(connectionId, definition.Rules, projects, cancellationToken);
        var basis = new FlowBasisResponse(definition.Id, definition.Name, definition.Version, calendar.TimeZone, calendar.Version);
        return new(new FlowComputation(snapshot, new FlowMetrics(definition.Rules, calendar.Calendar, now), basis, connectionId, window, definition, calendar));
    }
}
