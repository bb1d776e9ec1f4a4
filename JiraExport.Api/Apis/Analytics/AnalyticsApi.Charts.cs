using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Apis;

/// <summary>The handlers of <c>analytics/charts</c>: the flow charts as data, and as the SVG that reports embed (the sprint charts' too).</summary>
public static partial class AnalyticsApi
{
    public static Task<Results<Ok<FlowChartResponse>, ValidationProblem, ProblemHttpResult>> GetFlowChart(
        string kind, [AsParameters] FlowQuery query, [AsParameters] FlowServices services, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync<Ok<FlowChartResponse>>(NotOneOf(kind, FlowChartKinds.All, "flow chart"), query, services, flow => TypedResults.Ok(new FlowChartResponse(
            Chart(kind, flow), flow.Basis, flow.ConnectionId, flow.Window.From, flow.Window.To, $"{request.PathBase}{request.Path}/svg{request.QueryString}")),
            cancellationToken);

    public static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetFlowChartSvg(
        string kind, [AsParameters] FlowQuery query, [AsParameters] FlowServices services, HttpResponse response, CancellationToken cancellationToken) =>
        AnswerAsync<ContentHttpResult>(NotOneOf(kind, FlowChartKinds.All, "flow chart"), query, services, flow => Svg(response, Chart(kind, flow)), cancellationToken);

    private static FlowChart Chart(string kind, FlowComputation flow) =>
        new FlowCharts(flow.Metrics, flow.Calendar.Calendar).Build(kind, flow.Snapshot, flow.Window);

    /// <summary>Opened on its own, the image may do nothing but draw: no script, no fetch, whatever a name in it says.</summary>
    private static ContentHttpResult Svg(HttpResponse response, FlowChart chart)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return TypedResults.Content(SvgChart.Render(chart), "image/svg+xml");
    }
}
