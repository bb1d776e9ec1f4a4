namespace JiraExport.Core.Analytics;

/// <summary>A status of a Jira site as the flow needs it: id (what transitions carry), name and category key.</summary>
public sealed record FlowStatus(string Id, string Name, string? Category);

/// <summary>
/// A definition's boundaries resolved against one connection's statuses: the ids that count as started and as finished,
/// and the named statuses the site does not have (reported with the figure, never silently dropped).
/// </summary>
public sealed record FlowStatusSets(IReadOnlySet<string> Started, IReadOnlySet<string> Finished, IReadOnlyList<string> UnknownStatuses)
{
    public static FlowStatusSets Resolve(FlowDefinition definition, IReadOnlyList<FlowStatus> statuses)
    {
        var unknown = new List<string>();
        var finished = Ids(definition.End, statuses, unknown);
        // The finished statuses are started ones too: an issue moved straight to Done started when it finished.
        var started = Ids(definition.Start, statuses, unknown);
        started.UnionWith(finished);
        return new FlowStatusSets(started, finished, unknown.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static HashSet<string> Ids(FlowBoundary boundary, IReadOnlyList<FlowStatus> statuses, List<string> unknown)
    {
        if (boundary.Category is { } category)
        {
            // A category boundary takes that category and the ones after it: "started" is In Progress or Done.
            var rank = StatusCategories.Rank(category);
            return statuses.Where(s => StatusCategories.Rank(s.Category) >= rank).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in boundary.Statuses)
        {
            var matches = statuses.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            ids.UnionWith(matches.Select(s => s.Id));
            if (matches.Count == 0)
            {
                unknown.Add(name);
            }
        }

        return ids;
    }
}
