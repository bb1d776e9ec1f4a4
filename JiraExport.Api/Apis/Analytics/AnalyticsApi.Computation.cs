using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// What every analytics computation reads through, bound from the request's services (marked so, or request validation
/// would walk the DbContext's sets).
/// </summary>
public sealed record FlowServices(
    [FromServices] JiraExportDbContext Db, [FromServices] FlowDefinitions Definitions, [FromServices] FlowStore Store, [FromServices] SprintStore Sprints,
    [FromServices] TimeProvider Time);

/// <summary>
/// The computation behind every figure, chart and forecast: check the query, read the connection's issues placed by the
/// definition, and answer from them; or say which of the query's parts is wrong.
/// </summary>
public static partial class AnalyticsApi
{
    private const int DefaultWindowDays = 90;
    private const int MaxWindowDays = 3 * 366;

    /// <summary>Before any Jira: an earlier date is a mistake, and far dates would only walk the calendar's edges.</summary>
    private static readonly DateOnly EarliestDate = new(1990, 1, 1);

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

    /// <summary>
    /// The one way an analytics handler answers: a name it does not have is a 404, a query's mistakes a 400, what the
    /// query names that the tenant does not have a 404; otherwise <paramref name="answer"/> answers from the computation.
    /// </summary>
    private static async Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>> AnswerAsync<TAnswer>(
        ProblemHttpResult? unknownName, FlowQuery query, FlowServices services,
        Func<FlowComputation, Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>>> answer, CancellationToken cancellationToken)
        where TAnswer : IResult
    {
        if (unknownName is not null)
        {
            return unknownName;
        }

        var computed = await PrepareAsync(query, services, cancellationToken);
        if (computed.Invalid is { } invalid)
        {
            return invalid;
        }

        return computed.Missing is { } missing ? missing : await answer(computed.Result!);
    }

    private static Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>> AnswerAsync<TAnswer>(
        ProblemHttpResult? unknownName, FlowQuery query, FlowServices services,
        Func<FlowComputation, Results<TAnswer, ValidationProblem, ProblemHttpResult>> answer, CancellationToken cancellationToken)
        where TAnswer : IResult =>
        AnswerAsync<TAnswer>(unknownName, query, services, flow => Task.FromResult(answer(flow)), cancellationToken);

    /// <summary>Checks a flow query, then reads the connection's issues placed by the definition it names.</summary>
    private static async Task<Computed> PrepareAsync(FlowQuery query, FlowServices services, CancellationToken cancellationToken)
    {
        var (db, definitions, store, _, timeProvider) = services;
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

        var (connectionId, missingConnection) = await ConnectionAsync(query.ConnectionId, db, errors, cancellationToken);
        if (missingConnection is not null)
        {
            return new(null, Missing: missingConnection);
        }

        if (errors.Count > 0)
        {
            return new(null, Invalid: TypedResults.ValidationProblem(errors));
        }

        var (definition, missingDefinition) = await DefinitionAsync(query.DefinitionId, query.DefinitionVersion, definitions, cancellationToken);
        if (definition is null)
        {
            return new(null, Missing: missingDefinition);
        }

        var window = new FlowWindow(from, to, query.Bucket == "week" ? FlowBucket.Week : FlowBucket.Day);
        var projects = (query.Projects ?? []).Select(p => p.ToUpperInvariant()).ToList();
        var snapshot = await store.ReadAsync(connectionId, definition.Rules, projects, cancellationToken);
        var basis = new FlowBasisResponse(definition.Id, definition.Name, definition.Version, calendar.TimeZone, calendar.Version);
        return new(new FlowComputation(snapshot, new FlowMetrics(definition.Rules, calendar.Calendar, now), basis, connectionId, window, definition, calendar));
    }

    /// <summary>The connection a query names, or the tenant's only one; a mistake goes into <paramref name="errors"/>, another tenant's id is a 404.</summary>
    private static async Task<(Guid ConnectionId, ProblemHttpResult? Missing)> ConnectionAsync(
        Guid? named, JiraExportDbContext db, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (named is { } id)
        {
            return await db.JiraConnections.AnyAsync(c => c.Id == id, cancellationToken) ? (id, null) : (id, ConnectionsApi.NotFoundProblem(id));
        }

        var connections = await db.JiraConnections.AsNoTracking().Select(c => c.Id).Take(2).ToListAsync(cancellationToken);
        if (connections.Count == 1)
        {
            return (connections[0], null);
        }

        errors["connectionId"] = ["Name the connection (the tenant has more than one, or none)."];
        return (Guid.Empty, null);
    }

    private static async Task<(ResolvedDefinition? Definition, ProblemHttpResult? Missing)> DefinitionAsync(
        Guid? id, int? definitionVersion, FlowDefinitions definitions, CancellationToken cancellationToken) =>
        await definitions.FindAsync(id, definitionVersion, cancellationToken) is { } definition
            ? (definition, null)
            : (null, TypedResults.Problem(title: "Definition not found",
                detail: $"No flow definition {id?.ToString() ?? FlowDefinitions.BuiltInName} with version {definitionVersion} exists in this tenant.",
                statusCode: StatusCodes.Status404NotFound));
}
