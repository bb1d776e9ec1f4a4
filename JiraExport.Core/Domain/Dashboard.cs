namespace JiraExport.Core.Domain;

/// <summary>A tenant's dashboard: a name and its widgets, each a flow figure or chart over a query of its own.</summary>
public sealed class Dashboard
{
    public const int MaxWidgets = 12;

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public List<DashboardWidget> Widgets { get; set; } = [];
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One widget: a flow metric's figure (<c>metric</c>: cycle-time, lead-time, throughput, wip, age) or a flow chart
/// (<c>chart</c>: cycle-time-scatter, throughput-run, cumulative-flow, aging-wip), over the last <see cref="WindowDays"/>
/// days of a connection (the tenant's only one if null), some projects (all if empty) and a definition (the built-in one if null).
/// </summary>
public sealed record DashboardWidget(
    string Title, string Kind, string Name, Guid? ConnectionId, Guid? DefinitionId, IReadOnlyList<string> Projects, int WindowDays);
