using System.Text.Json.Serialization;

namespace JiraExport.Core.Analytics;

/// <summary>
/// What a tenant means by "started" and "finished": the flow metrics (cycle time, lead time, throughput, WIP, age) are
/// computed from it, and every figure names the version it used. The tools disagree (ActionableAgile counts end − start
/// + 1 whole days, Lighthouse takes the last crossing into a category), so each choice is explicit here.
/// </summary>
/// <param name="Start">When work starts: a crossing into the started statuses.</param>
/// <param name="End">When work ends: a crossing into the finished statuses; an issue counts as finished only while it is in one.</param>
/// <param name="Days">Calendar days, or business days of the tenant's work calendar (weekends and holidays left out).</param>
/// <param name="Counting">Whole days between the two dates (<c>elapsed</c>), or that plus one (<c>inclusive</c>, as ActionableAgile counts).</param>
/// <param name="IssueTypes">The issue types that count, by name; empty for all.</param>
public sealed record FlowDefinition(FlowBoundary Start, FlowBoundary End, DayKind Days, DayCounting Counting, IReadOnlyList<string> IssueTypes)
{
    /// <summary>
    /// The definition a tenant has before it writes its own: work starts at the first move into an "In Progress"
    /// category status and ends at the last move into a "Done" one, counted in calendar days, end − start + 1.
    /// </summary>
    public static FlowDefinition Default { get; } = new(
        new FlowBoundary(StatusCategories.InProgress, [], Crossing.First),
        new FlowBoundary(StatusCategories.Done, [], Crossing.Last),
        DayKind.Calendar, DayCounting.Inclusive, []);
}

/// <summary>
/// One edge of the flow: either a status category (<c>new</c>, <c>indeterminate</c>, <c>done</c>: that category and the
/// ones after it) or named statuses, and whether the first or the last crossing into them counts.
/// </summary>
public sealed record FlowBoundary(string? Category, IReadOnlyList<string> Statuses, Crossing Crossing);

[JsonConverter(typeof(JsonStringEnumConverter<Crossing>))]
public enum Crossing
{
    [JsonStringEnumMemberName("first")]
    First,
    [JsonStringEnumMemberName("last")]
    Last,
}

[JsonConverter(typeof(JsonStringEnumConverter<DayKind>))]
public enum DayKind
{
    [JsonStringEnumMemberName("calendar")]
    Calendar,
    [JsonStringEnumMemberName("business")]
    Business,
}

[JsonConverter(typeof(JsonStringEnumConverter<DayCounting>))]
public enum DayCounting
{
    [JsonStringEnumMemberName("elapsed")]
    Elapsed,
    [JsonStringEnumMemberName("inclusive")]
    Inclusive,
}

/// <summary>Jira's three status categories, by key, in the order work moves through them.</summary>
public static class StatusCategories
{
    public const string ToDo = "new";
    public const string InProgress = "indeterminate";
    public const string Done = "done";

    public static readonly IReadOnlyList<string> InOrder = [ToDo, InProgress, Done];

    /// <summary>The category's place in the flow; -1 for a key Jira does not have (such as <c>undefined</c>).</summary>
    public static int Rank(string? key) => key is null ? -1 : InOrder.ToList().IndexOf(key);
}
