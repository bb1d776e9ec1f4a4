using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Analytics;

/// <summary>The definition a figure was computed with: which one, which version, and its rules.</summary>
public sealed record ResolvedDefinition(Guid? Id, string Name, int Version, FlowDefinition Rules);

/// <summary>The calendar a figure was computed with, and the version of the tenant's calendar row (0 for the default).</summary>
public sealed record ResolvedCalendar(WorkCalendar Calendar, string TimeZone, int Version);

/// <summary>Finds the definition version and the calendar a flow query names, in the current tenant.</summary>
public sealed class FlowDefinitions(JiraExportDbContext db)
{
    /// <summary>What a query without a definition uses: <see cref="FlowDefinition.Default"/>, version 1.</summary>
    public const string BuiltInName = "default";

    public static ResolvedDefinition BuiltIn { get; } = new(null, BuiltInName, 1, FlowDefinition.Default);

    /// <summary>
    /// The definition's <paramref name="version"/>, or its latest; null when the tenant has no such definition or version.
    /// A deleted definition answers only for a version named: a figure or report that recorded it can be computed again.
    /// </summary>
    public async Task<ResolvedDefinition?> FindAsync(Guid? id, int? version, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return version is null or 1 ? BuiltIn : null;
        }

        var definition = await db.MetricDefinitions.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == id && (d.DeletedAt == null || version != null), cancellationToken);
        if (definition is null)
        {
            return null;
        }

        var number = version ?? definition.LatestVersion;
        var rules = await db.MetricDefinitionVersions.AsNoTracking()
            .Where(v => v.DefinitionId == id && v.Version == number).Select(v => v.Rules).SingleOrDefaultAsync(cancellationToken);
        return rules is null ? null : new ResolvedDefinition(definition.Id, definition.Name, number, rules);
    }

    public async Task<ResolvedCalendar> CalendarAsync(CancellationToken cancellationToken)
    {
        var row = await db.TenantWorkCalendars.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var calendar = row?.ToCalendar() ?? WorkCalendar.Default;
        return new ResolvedCalendar(calendar, calendar.TimeZone.Id, row?.Version ?? 0);
    }
}
