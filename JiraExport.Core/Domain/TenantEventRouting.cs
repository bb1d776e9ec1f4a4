namespace JiraExport.Core.Domain;

/// <summary>
/// A tenant's routing rules: which of its events reach the hub's follower groups (an export's, a project's, an issue's)
/// and its webhook subscriptions. One row per tenant; none means every event goes everywhere.
/// </summary>
public sealed class TenantEventRouting
{
    public Guid TenantId { get; set; }

    /// <summary>In order: the first rule that matches an event decides; stored as jsonb.</summary>
    public List<EventRoutingRule> Rules { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Matches an event by type, connection and project (an empty list matches any; a project list matches only events of a
/// project: issue events and exports whose JQL names one), and says where it goes.
/// </summary>
public sealed record EventRoutingRule(
    IReadOnlyList<string> EventTypes, IReadOnlyList<Guid> ConnectionIds, IReadOnlyList<string> ProjectKeys, bool ToFollowers, bool ToWebhooks)
{
    public bool Matches(string type, Guid? connectionId, IReadOnlyCollection<string> projectKeys) =>
        (EventTypes.Count == 0 || EventTypes.Contains(type))
        && (ConnectionIds.Count == 0 || (connectionId is { } connection && ConnectionIds.Contains(connection)))
        && (ProjectKeys.Count == 0 || projectKeys.Any(ProjectKeys.Contains));
}
