using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Apis;

/// <summary>The handlers of <c>analytics/charts</c>: the flow charts as data, and as the SVG that reports embed.</summary>
public static partial class AnalyticsApi
{
    public static async Task<Results<Ok<FlowChartResponse>, ValidationProblem, ProblemHttpResult>> GetFlowChart(
        string kind, [AsParameters] FlowQuery query, HttpRequest request, JiraExportDbContext db, FlowDefinitions definitions, FlowStore store,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (NotOneOf(kind, FlowChartKinds.All, "flow chart") is { } unknown)
        {
            return unknown;
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
        return TypedResults.Ok(new FlowChartResponse(
            Chart(kind, flow), flow.Basis, flow.ConnectionId, flow.Window.From, flow.Window.To, $"{request.PathBase}{request.Path}/svg{request.QueryString}"));
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetFlowChartSvg(
        string kind, [AsParameters] FlowQuery query, HttpContext http, JiraExportDbContext db, FlowDefinitions definitions, FlowStore store,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (NotOneOf(kind, FlowChartKinds.All, "flow chart") is { } unknown)
        {
            return unknown;
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

        // Opened on its own, the image may do nothing but draw: no script, no fetch, whatever a name in it says.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return TypedResults.Content(SvgChart.Render(Chart(kind, computed.Result!)), "image/svg+xml");
    }

    private static FlowChart Chart(string kind, FlowComputation flow) =>
        new FlowCharts(flow.Metrics, flow.Calendar.Calendar).Build(kind, flow.Snapshot, flow.Window);
}
