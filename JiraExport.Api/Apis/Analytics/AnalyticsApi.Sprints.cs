using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace JiraExport.Api.Apis;

/// <summary>
/// What a sprint report is computed over: a connection (the tenant's only one if left out) and the definition whose
/// finished statuses count as done (the built-in one, the Done category, if left out).
/// </summary>
public sealed record SprintQuery(
    [FromQuery(Name = "connectionId")] Guid? ConnectionId,
    [FromQuery(Name = "definitionId")] Guid? DefinitionId,
    [FromQuery(Name = "definitionVersion")] int? DefinitionVersion);

/// <summary>The handlers of <c>analytics/sprints</c>: sprint reports reproduced from the issues' histories, and their charts.</summary>
public static partial class AnalyticsApi
{
    public const int MaxVelocitySprints = 24;
    private const int DefaultVelocitySprints = 7;
    private const int MaxSprintsListed = 200;

    /// <summary>A sprint query's connection, definition, calendar and status sets.</summary>
    private sealed record SprintBasis(Guid ConnectionId, FlowBasisResponse Basis, ResolvedCalendar Calendar, FlowStatusSets Statuses, IReadOnlyDictionary<string, string> StatusNames)
    {
        public string? StatusName(string? id) => id is null ? null : StatusNames.GetValueOrDefault(id, id);
    }

    public static async Task<Results<Ok<SprintListResponse>, ValidationProblem, ProblemHttpResult>> ListSprints(
        Guid? connectionId, long? boardId, int? limit, [AsParameters] FlowServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxSprintsListed)
        {
            errors["limit"] = [$"List 1 to {MaxSprintsListed} sprints."];
        }

        var (connection, missing) = await ConnectionAsync(connectionId, services.Db, errors, cancellationToken);
        if (missing is not null)
        {
            return missing;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var sprints = await services.Sprints.SprintsAsync(connection, boardId, limit ?? 50, cancellationToken);
        return TypedResults.Ok(new SprintListResponse(connection, sprints));
    }

    public static Task<Results<Ok<SprintReportResponse>, ValidationProblem, ProblemHttpResult>> GetSprintReport(
        long sprintId, [AsParameters] SprintQuery query, [AsParameters] FlowServices services, CancellationToken cancellationToken) =>
        SprintAnswerAsync<Ok<SprintReportResponse>>(sprintId, null, query, services, (basis, report) =>
            TypedResults.Ok(SprintReportResponse.Of(report, basis.Basis, basis.ConnectionId, basis.StatusName, basis.Statuses.UnknownStatuses)), cancellationToken);

    public static Task<Results<Ok<SprintChartResponse>, ValidationProblem, ProblemHttpResult>> GetSprintChart(
        long sprintId, string kind, [AsParameters] SprintQuery query, [AsParameters] FlowServices services, HttpRequest request, CancellationToken cancellationToken) =>
        SprintAnswerAsync<Ok<SprintChartResponse>>(sprintId, NotOneOf(kind, SprintChartKinds.OfOneSprint, "sprint chart"), query, services, (basis, report) =>
            TypedResults.Ok(new SprintChartResponse(SprintCharts.Build(kind, report), basis.Basis, basis.ConnectionId, $"{request.PathBase}{request.Path}/svg{request.QueryString}")),
            cancellationToken);

    public static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetSprintChartSvg(
        long sprintId, string kind, [AsParameters] SprintQuery query, [AsParameters] FlowServices services, HttpResponse response, CancellationToken cancellationToken) =>
        SprintAnswerAsync<ContentHttpResult>(sprintId, NotOneOf(kind, SprintChartKinds.OfOneSprint, "sprint chart"), query, services, (_, report) =>
            Svg(response, SprintCharts.Build(kind, report)), cancellationToken);

    public static async Task<Results<Ok<SprintChartResponse>, ValidationProblem, ProblemHttpResult>> GetVelocity(
        [AsParameters] SprintQuery query, long? boardId, int? count, [AsParameters] FlowServices services, HttpRequest request, CancellationToken cancellationToken) =>
        await VelocityAsync<Ok<SprintChartResponse>>(query, boardId, count, services, (basis, chart) =>
            TypedResults.Ok(new SprintChartResponse(chart, basis.Basis, basis.ConnectionId, $"{request.PathBase}{request.Path}/svg{request.QueryString}")), cancellationToken);

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetVelocitySvg(
        [AsParameters] SprintQuery query, long? boardId, int? count, [AsParameters] FlowServices services, HttpResponse response, CancellationToken cancellationToken) =>
        await VelocityAsync<ContentHttpResult>(query, boardId, count, services, (_, chart) => Svg(response, chart), cancellationToken);

    private static async Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>> SprintAnswerAsync<TAnswer>(
        long sprintId, ProblemHttpResult? unknownName, SprintQuery query, FlowServices services,
        Func<SprintBasis, SprintReport, Results<TAnswer, ValidationProblem, ProblemHttpResult>> answer, CancellationToken cancellationToken)
        where TAnswer : IResult
    {
        if (unknownName is not null)
        {
            return unknownName;
        }

        var (basis, invalid, missing) = await SprintBasisAsync(query, services, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        if (basis is null)
        {
            return missing!;
        }

        if (await services.Sprints.SprintAsync(basis.ConnectionId, sprintId, cancellationToken) is not { } sprint)
        {
            return TypedResults.Problem(title: "Sprint not found",
                detail: $"Connection {basis.ConnectionId} has synced no sprint {sprintId}; GET /analytics/sprints lists those it has.",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (await services.Sprints.HistoriesAsync(basis.ConnectionId, [sprint], cancellationToken) is not { } issues)
        {
            return TooManyIssues();
        }

        return SprintScope.Build(sprint, issues, basis.Statuses.Finished, basis.Calendar.Calendar, services.Time.GetUtcNow()) is { } report
            ? answer(basis, report)
            : TypedResults.Problem(title: "Sprint not started",
                detail: $"Sprint {sprint.Name} ({sprint.State}) has not started, so it has no report yet.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>> VelocityAsync<TAnswer>(
        SprintQuery query, long? boardId, int? count, FlowServices services,
        Func<SprintBasis, FlowChart, Results<TAnswer, ValidationProblem, ProblemHttpResult>> answer, CancellationToken cancellationToken)
        where TAnswer : IResult
    {
        if (count is < 1 or > MaxVelocitySprints)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["count"] = [$"Velocity is drawn over 1 to {MaxVelocitySprints} closed sprints."] });
        }

        var (basis, invalid, missing) = await SprintBasisAsync(query, services, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        if (basis is null)
        {
            return missing!;
        }

        var sprints = await services.Sprints.ClosedSprintsAsync(basis.ConnectionId, boardId, count ?? DefaultVelocitySprints, cancellationToken);
        if (await services.Sprints.HistoriesAsync(basis.ConnectionId, sprints, cancellationToken) is not { } issues)
        {
            return TooManyIssues();
        }

        var now = services.Time.GetUtcNow();
        var reports = sprints.Select(s => SprintScope.Build(s, issues, basis.Statuses.Finished, basis.Calendar.Calendar, now)).OfType<SprintReport>().ToList();
        return answer(basis, SprintCharts.Velocity(reports));
    }

    /// <summary>The basis of a sprint query, or its mistakes, or what it names that the tenant does not have.</summary>
    private readonly record struct SprintBasisOrProblem(SprintBasis? Basis, ValidationProblem? Invalid = null, ProblemHttpResult? Missing = null);

    private static async Task<SprintBasisOrProblem> SprintBasisAsync(
        SprintQuery query, FlowServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (connectionId, missing) = await ConnectionAsync(query.ConnectionId, services.Db, errors, cancellationToken);
        if (missing is not null)
        {
            return new(null, Missing: missing);
        }

        if (errors.Count > 0)
        {
            return new(null, Invalid: TypedResults.ValidationProblem(errors));
        }

        var (definition, missingDefinition) = await DefinitionAsync(query.DefinitionId, query.DefinitionVersion, services.Definitions, cancellationToken);
        if (definition is null)
        {
            return new(null, Missing: missingDefinition);
        }

        var calendar = await services.Definitions.CalendarAsync(cancellationToken);
        var statuses = await services.Store.StatusesAsync(connectionId, cancellationToken);
        return new(new SprintBasis(
            connectionId, new FlowBasisResponse(definition.Id, definition.Name, definition.Version, calendar.TimeZone, calendar.Version), calendar,
            FlowStatusSets.Resolve(definition.Rules, statuses), statuses.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal)));
    }

    private static ProblemHttpResult TooManyIssues() => TypedResults.Problem(title: "Too many issues",
        detail: $"More than {SprintStore.MaxIssues:N0} issues have been in these sprints; ask for fewer sprints or one board.",
        statusCode: StatusCodes.Status422UnprocessableEntity);
}
