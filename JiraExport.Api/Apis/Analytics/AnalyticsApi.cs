using JiraExport.Api.Auth;
using JiraExport.Api.Idempotency;
using JiraExport.Api.Preconditions;
using JiraExport.Api.Throttling;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Flow analytics of the synced store: the tenant's flow definitions (versioned, so every figure names the version it
/// used), its work calendar, and the five flow metrics with the issues behind each figure.
/// </summary>
public static partial class AnalyticsApi
{
    public const int MaxDefinitions = 100;
    public const int MaxVersions = 1000;

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("analytics").WithTags("Analytics").RequireTenant();

        api.MapGet("/definitions", ListDefinitions)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ListFlowDefinitions")
            .WithSummary("The built-in flow definition and the tenant's, each at its latest version");
        api.MapPost("/definitions", CreateDefinition)
            .RequireAuthorization(Scopes.TemplatesManage)
            .Idempotent()
            .WithName("CreateFlowDefinition")
            .WithSummary("Define when work starts and ends, and how days are counted (version 1)");
        api.MapGet("/definitions/{id:guid}", GetDefinition)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .OnVersionedResource()
            .WithName("GetFlowDefinition")
            .WithSummary("A flow definition at its latest version, or at ?definitionVersion=");
        api.MapPut("/definitions/{id:guid}", UpdateDefinition)
            .RequireAuthorization(Scopes.TemplatesManage)
            .OnVersionedResource()
            .WithName("UpdateFlowDefinition")
            .WithSummary("New rules: the definition's next version (earlier versions stay)");
        api.MapDelete("/definitions/{id:guid}", DeleteDefinition)
            .RequireAuthorization(Scopes.TemplatesManage)
            .OnVersionedResource()
            .WithName("DeleteFlowDefinition")
            .WithSummary("Hide a flow definition; its versions stay for figures computed with them");
        api.MapGet("/calendar", GetCalendar)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetWorkCalendar")
            .WithSummary("The time zone, weekend and holidays flow metrics count days in");
        api.MapPut("/calendar", PutCalendar)
            .RequireAuthorization(Scopes.TenantAdmin)
            .OnVersionedResource()
            .WithName("PutWorkCalendar")
            .WithSummary("Set the tenant's time zone, weekend and holidays");
        api.MapGet("/flow/{metric}", GetFlowFigure)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetFlowMetric")
            .WithSummary("cycle-time, lead-time, throughput, wip or age over a window, with its rule and basis");
        api.MapGet("/flow/{metric}/items", ListFlowItems)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("ListFlowMetricItems")
            .WithSummary("The issues behind a flow figure, with the transitions that started and finished each");
        api.MapGet("/charts/{kind}", GetFlowChart)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetFlowChart")
            .WithSummary("cycle-time-scatter, throughput-run, cumulative-flow or aging-wip as data");
        api.MapGet("/charts/{kind}/svg", GetFlowChartSvg)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetFlowChartSvg")
            .WithSummary("The same chart drawn as SVG, as reports embed it")
            .Produces(StatusCodes.Status200OK, typeof(string), "image/svg+xml");
        api.MapGet("/forecast/when", ForecastWhen)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("ForecastWhen")
            .WithSummary("Monte Carlo: when will this many items be done (P50, P85, P95), from the daily throughput of a window");
        api.MapGet("/forecast/how-many", ForecastHowMany)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("ForecastHowMany")
            .WithSummary("Monte Carlo: how many items will be done by a date (P50, P85, P95)");
        api.MapGet("/insights", GetInsights)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetInsights")
            .WithSummary("Items older than P85, throughput and WIP shifts, sprints with unusual scope change: each rule stated, with its evidence");
        api.MapGet("/dashboards", ListDashboards)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ListDashboards")
            .WithSummary("The tenant's dashboards of flow widgets");
        api.MapPost("/dashboards", CreateDashboard)
            .RequireAuthorization(Scopes.TemplatesManage)
            .Idempotent()
            .WithName("CreateDashboard")
            .WithSummary("A dashboard: up to 12 widgets, each a flow metric's figure or a flow chart over a query of its own");
        api.MapGet("/dashboards/{id:guid}", GetDashboard)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetDashboard")
            .WithSummary("A dashboard and its widgets");
        api.MapPut("/dashboards/{id:guid}", UpdateDashboard)
            .RequireAuthorization(Scopes.TemplatesManage)
            .WithName("UpdateDashboard")
            .WithSummary("Replace a dashboard's name and widgets");
        api.MapDelete("/dashboards/{id:guid}", DeleteDashboard)
            .RequireAuthorization(Scopes.TemplatesManage)
            .WithName("DeleteDashboard")
            .WithSummary("Delete a dashboard");
        api.MapGet("/dashboards/{id:guid}/data", GetDashboardData)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetDashboardData")
            .WithSummary("Every widget of a dashboard computed now, each with what it was computed with");
        api.MapGet("/dashboards/{id:guid}/widgets/{index:int}/svg", GetDashboardWidgetSvg)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetDashboardWidgetSvg")
            .WithSummary("A chart widget of a dashboard drawn as SVG, computed now")
            .Produces(StatusCodes.Status200OK, typeof(string), "image/svg+xml");
        api.MapGet("/sprints", ListSprints)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ListSprints")
            .WithSummary("The connection's synced sprints, latest first, of one board if asked");
        api.MapGet("/sprints/velocity", GetVelocity)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetVelocity")
            .WithSummary("Committed, completed, added and removed issues of the latest closed sprints, as chart data");
        api.MapGet("/sprints/velocity/svg", GetVelocitySvg)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetVelocitySvg")
            .WithSummary("The velocity chart drawn as SVG")
            .Produces(StatusCodes.Status200OK, typeof(string), "image/svg+xml");
        api.MapGet("/sprints/{sprintId:long}/report", GetSprintReport)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetSprintReport")
            .WithSummary("The sprint report reproduced from history: committed, added, completed, not completed, removed, completed outside");
        api.MapGet("/sprints/{sprintId:long}/charts/{kind}", GetSprintChart)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetSprintChart")
            .WithSummary("burndown or burnup of one sprint as data");
        api.MapGet("/sprints/{sprintId:long}/charts/{kind}/svg", GetSprintChartSvg)
            .RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAnalyticsThrottling()
            .WithName("GetSprintChartSvg")
            .WithSummary("The same sprint chart drawn as SVG")
            .Produces(StatusCodes.Status200OK, typeof(string), "image/svg+xml");

        return app;
    }
}
