using System.Globalization;
using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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
    public static Task<Results<Ok<FlowFigureResponse>, ValidationProblem, ProblemHttpResult>> GetFlowFigure(
        string metric, [AsParameters] FlowQuery query, [AsParameters] FlowServices services, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync<Ok<FlowFigureResponse>>(NotOneOf(metric, FlowMetricNames.All, "flow metric"), query, services, flow =>
        {
            var figure = flow.Figure(metric);
            return TypedResults.Ok(new FlowFigureResponse(
                figure.Metric, figure.Rule, flow.Basis, flow.ConnectionId, query.Projects ?? [], flow.Window.From, flow.Window.To, figure.Values.Count,
                figure.Distribution, figure.Series, flow.Snapshot.Statuses.UnknownStatuses, $"{request.PathBase}{request.Path}/items{request.QueryString}"));
        }, cancellationToken);

    /// <summary>The issues behind a figure, in the figure's order, with the transitions that started and finished each.</summary>
    public static async Task<Results<Ok<ListPage<FlowItemResponse>>, ValidationProblem, ProblemHttpResult>> ListFlowItems(
        string metric, [AsParameters] FlowQuery query, [AsParameters] FlowServices services, int? limit, string? cursor, HttpRequest request,
        CancellationToken cancellationToken)
    {
        var pageSize = limit ?? ListPages.DefaultLimit;
        var offset = 0;
        if (pageSize is < 1 or > ListPages.MaxLimit || (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > 10_000_000)))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["limit"] = [$"A page holds 1 to {ListPages.MaxLimit} items; the cursor is the one the previous page handed out."] });
        }

        return await AnswerAsync<Ok<ListPage<FlowItemResponse>>>(NotOneOf(metric, FlowMetricNames.All, "flow metric"), query, services, async flow =>
        {
            var figure = flow.Figure(metric);
            var page = figure.Values.Skip(offset).Take(pageSize).ToList();
            var transitions = (await services.Store.TransitionsAsync(flow.ConnectionId, [.. page.Select(v => v.Item.Issue.IssueId)], cancellationToken))
                .ToLookup(t => t.IssueId);
            FlowTransitionResponse? At(long issueId, DateTimeOffset? at) =>
                transitions[issueId].FirstOrDefault(t => t.At == at) is { } t ? new FlowTransitionResponse(t.HistoryId, t.At, t.FromStatus, t.ToStatus) : null;
            var items = page.Select(v => new FlowItemResponse(
                v.Item.Issue.Key, v.Item.Issue.IssueId, v.Item.Issue.IssueType, v.Item.Issue.Created, v.Item.Start, v.Item.End, v.Days,
                At(v.Item.Issue.IssueId, v.Item.Start), At(v.Item.Issue.IssueId, v.Item.End))).ToList();
            var next = offset + pageSize < figure.Values.Count ? (offset + pageSize).ToString(CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(ListPages.Create(request, items, next, i => ListPages.V2($"/issues/{i.IssueKey}?connectionId={flow.ConnectionId}")));
        }, cancellationToken);
    }
}
