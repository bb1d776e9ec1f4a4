using System.Globalization;
using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The handlers of <c>analytics/dashboards</c>: a tenant's dashboards of flow widgets, and their data.</summary>
public static partial class AnalyticsApi
{
    public const int MaxDashboards = 50;

    public static async Task<Ok<List<DashboardResponse>>> ListDashboards(JiraExportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Dashboards.AsNoTracking().OrderBy(d => d.Name).Take(MaxDashboards).ToListAsync(cancellationToken)).Select(ToResponse).ToList());

    public static async Task<Results<Created<DashboardResponse>, ValidationProblem>> CreateDashboard(
        DashboardRequest request, ClaimsPrincipal caller, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();
        if (await db.Dashboards.AnyAsync(d => d.Name == name, cancellationToken) || await db.Dashboards.CountAsync(cancellationToken) >= MaxDashboards)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"Dashboard names are unique, and a tenant keeps at most {MaxDashboards}: choose another name, or delete one."],
            });
        }

        var now = timeProvider.GetUtcNow();
        var dashboard = new Dashboard
        {
            Id = Guid.CreateVersion7(), TenantId = db.TenantId!.Value, Name = name, Widgets = Widgets(request), CreatedAt = now, UpdatedAt = now,
            CreatedBy = await ExportFinishingRequest.DescribeRequesterAsync(caller, db, cancellationToken),
        };
        db.Dashboards.Add(dashboard);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/analytics/dashboards/{dashboard.Id}", ToResponse(dashboard));
    }

    public static async Task<Results<Ok<DashboardResponse>, ProblemHttpResult>> GetDashboard(Guid id, JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.Dashboards.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is { } dashboard
            ? TypedResults.Ok(ToResponse(dashboard))
            : DashboardNotFound(id);

    /// <summary>Replaces the name and the widgets.</summary>
    public static async Task<Results<Ok<DashboardResponse>, ProblemHttpResult, ValidationProblem>> UpdateDashboard(
        Guid id, DashboardRequest request, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await db.Dashboards.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } dashboard)
        {
            return DashboardNotFound(id);
        }

        var name = request.Name!.Trim();
        if (await db.Dashboards.AnyAsync(d => d.Name == name && d.Id != id, cancellationToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"A dashboard named \"{name}\" exists already."] });
        }

        (dashboard.Name, dashboard.Widgets, dashboard.UpdatedAt) = (name, Widgets(request), timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(dashboard));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDashboard(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Dashboards.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } dashboard)
        {
            return DashboardNotFound(id);
        }

        db.Dashboards.Remove(dashboard);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Every widget computed now. Widgets with the same connection, definition, projects and window share one read of the
    /// store; a widget whose query no longer holds says why, and the others still answer. With <c>svg=true</c> each chart is
    /// drawn as SVG too, from the same computation (as the dashboard page shows them).
    /// </summary>
    public static async Task<Results<Ok<DashboardDataResponse>, ProblemHttpResult>> GetDashboardData(
        Guid id, bool? svg, [AsParameters] FlowServices services, CancellationToken cancellationToken)
    {
        if (await services.Db.Dashboards.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } dashboard)
        {
            return DashboardNotFound(id);
        }

        var calendar = await services.Definitions.CalendarAsync(cancellationToken);
        var today = calendar.Calendar.DateOf(services.Time.GetUtcNow());
        var computed = new Dictionary<string, Computed>();
        var widgets = new List<DashboardWidgetData>();
        foreach (var (widget, index) in dashboard.Widgets.Select((w, i) => (w, i)))
        {
            var query = WidgetQuery(widget, today);
            var key = $"{query.ConnectionId}|{query.DefinitionId}|{string.Join(',', widget.Projects)}|{widget.WindowDays}";
            if (!computed.TryGetValue(key, out var result))
            {
                computed[key] = result = await PrepareAsync(query, services, cancellationToken);
            }

            widgets.Add(WidgetData(index, widget, result, svg == true));
        }

        return TypedResults.Ok(new DashboardDataResponse(dashboard.Id, dashboard.Name, services.Time.GetUtcNow(), widgets));
    }

    /// <summary>A chart widget drawn as the same SVG the chart endpoints and the reports give, computed now.</summary>
    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetDashboardWidgetSvg(
        Guid id, int index, [AsParameters] FlowServices services, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await services.Db.Dashboards.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } dashboard)
        {
            return DashboardNotFound(id);
        }

        if (index < 0 || index >= dashboard.Widgets.Count || dashboard.Widgets[index].Kind != "chart")
        {
            var charts = dashboard.Widgets.Select((w, i) => (w, i)).Where(w => w.w.Kind == "chart").Select(w => w.i.ToString(CultureInfo.InvariantCulture)).ToList();
            return TypedResults.Problem(title: "No such chart widget", statusCode: StatusCodes.Status404NotFound,
                detail: charts.Count == 0 ? "This dashboard has no chart widget." : $"This dashboard's chart widgets are at {string.Join(", ", charts)}.");
        }

        var widget = dashboard.Widgets[index];
        var calendar = await services.Definitions.CalendarAsync(cancellationToken);
        return await AnswerAsync<ContentHttpResult>(null, WidgetQuery(widget, calendar.Calendar.DateOf(services.Time.GetUtcNow())), services,
            flow => Svg(response, Chart(widget.Name, flow)), cancellationToken);
    }

    /// <summary>A widget's window ends today in the tenant's calendar.</summary>
    private static FlowQuery WidgetQuery(DashboardWidget widget, DateOnly today) =>
        new(widget.ConnectionId, [.. widget.Projects], widget.DefinitionId, null, today.AddDays(1 - widget.WindowDays), today, null);

    private static DashboardWidgetData WidgetData(int index, DashboardWidget widget, Computed computed, bool svg)
    {
        if (computed.Result is not { } flow)
        {
            var problem = computed.Invalid is { } invalid
                ? string.Join(" ", invalid.ProblemDetails.Errors.SelectMany(e => e.Value))
                : computed.Missing!.ProblemDetails.Detail;
            return new DashboardWidgetData(index, widget.Title, widget.Kind, widget.Name, null, null, null, null, null, null, null, null, null, problem);
        }

        if (widget.Kind == "chart")
        {
            var chart = Chart(widget.Name, flow);
            return new DashboardWidgetData(index, widget.Title, widget.Kind, widget.Name, flow.Basis, flow.ConnectionId, flow.Window.From, flow.Window.To,
                null, null, null, chart, svg ? SvgChart.Render(chart) : null, null);
        }

        var figure = flow.Figure(widget.Name);
        return new DashboardWidgetData(index, widget.Title, widget.Kind, widget.Name, flow.Basis, flow.ConnectionId, flow.Window.From, flow.Window.To,
            figure.Values.Count, figure.Distribution, figure.Series, null, null, null);
    }

    private static List<DashboardWidget> Widgets(DashboardRequest request) => [.. request.Widgets!.Select(w => new DashboardWidget(
        string.IsNullOrWhiteSpace(w.Title) ? w.Name! : w.Title.Trim(), w.Kind!, w.Name!, w.ConnectionId, w.DefinitionId,
        [.. (w.Projects ?? []).Select(p => p.ToUpperInvariant()).Distinct()], w.WindowDays ?? DefaultWindowDays))];

    private static DashboardResponse ToResponse(Dashboard d) =>
        new(d.Id, d.Name, d.Widgets, d.CreatedBy, d.CreatedAt, d.UpdatedAt, $"/api/v1/analytics/dashboards/{d.Id}/data");

    private static ProblemHttpResult DashboardNotFound(Guid id) =>
        TypedResults.Problem(title: "Dashboard not found", detail: $"No dashboard {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound);
}
