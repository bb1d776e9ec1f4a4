using JiraExport.Core.Analytics;

namespace JiraExport.Core.Domain;

/// <summary>
/// A tenant's named flow definition. Each change is a new version that never changes, so a figure (and a report) names
/// the version it was computed with and can be computed again; deleting only hides the definition.
/// </summary>
public sealed class MetricDefinition : IVersionedResource
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int LatestVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <inheritdoc />
    public int Version { get; set; } = 1;
}

/// <summary>One version of a <see cref="MetricDefinition"/>: the rules, who wrote them, and why.</summary>
public sealed class MetricDefinitionVersion
{
    public Guid TenantId { get; set; }
    public Guid DefinitionId { get; set; }
    public int Version { get; set; }
    public required FlowDefinition Rules { get; set; }
    public string? Note { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The tenant's calendar for flow metrics: the time zone dates are read in, the weekend, the holidays.</summary>
public sealed class TenantWorkCalendar : IVersionedResource
{
    public Guid TenantId { get; set; }
    public required string TimeZone { get; set; }
    public List<DayOfWeek> Weekend { get; set; } = [DayOfWeek.Saturday, DayOfWeek.Sunday];
    public List<DateOnly> Holidays { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    /// <inheritdoc />
    public int Version { get; set; } = 1;

    /// <summary>The calendar; in UTC should this server not know the zone (its time zone data differs), which the figure's basis then says.</summary>
    public WorkCalendar ToCalendar() =>
        new(TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc, Weekend, Holidays);
}
