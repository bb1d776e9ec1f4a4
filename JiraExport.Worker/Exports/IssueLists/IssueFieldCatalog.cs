using JiraExport.Core.Domain;
using static JiraExport.Worker.Exports.IssueLists.IssueFieldValues;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// The standard fields of an issue list (<see cref="IssueFieldNames.Standard"/>): where each comes from in Jira's field
/// JSON and, for those the store keeps in typed columns, from the columns too (the sync fills them from the same JSON).
/// </summary>
public static class IssueFieldCatalog
{
    private static readonly Dictionary<string, IssueField> Fields = new IssueField[]
    {
        new("key", "Key", IssueFieldKind.Text, null, i => i.Key, c => c.Key),
        new("id", "Id", IssueFieldKind.Text, null, i => i.Id, c => c.IssueId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("summary", "Summary", IssueFieldKind.Text, "summary", i => Text(i.Field("summary")) ?? string.Empty, c => c.Summary),
        new("status", "Status", IssueFieldKind.Text, "status", i => Text(i.Field("status"), "name"), c => c.StatusName),
        new("statusCategory", "Status Category", IssueFieldKind.Text, "status", i => Text(i.Field("status"), "statusCategory", "key"), c => c.StatusCategory),
        new("issuetype", "Issue Type", IssueFieldKind.Text, "issuetype", i => Text(i.Field("issuetype"), "name"), c => c.IssueType),
        new("priority", "Priority", IssueFieldKind.Text, "priority", i => Text(i.Field("priority"), "name"), c => c.Priority),
        new("assignee", "Assignee", IssueFieldKind.Text, "assignee", i => Text(i.Field("assignee"), "displayName"), c => c.AssigneeName),
        new("reporter", "Reporter", IssueFieldKind.Text, "reporter", i => Text(i.Field("reporter"), "displayName")),
        new("creator", "Creator", IssueFieldKind.Text, "creator", i => Text(i.Field("creator"), "displayName")),
        new("created", "Created", IssueFieldKind.DateTime, "created", i => Instant(i.Field("created")), c => c.Created),
        new("updated", "Updated", IssueFieldKind.DateTime, "updated", i => Instant(i.Field("updated")), c => c.Updated),
        new("resolved", "Resolved", IssueFieldKind.DateTime, "resolutiondate", i => Instant(i.Field("resolutiondate"))),
        new("resolutiondate", "Resolved", IssueFieldKind.DateTime, "resolutiondate", i => Instant(i.Field("resolutiondate"))),
        new("resolution", "Resolution", IssueFieldKind.Text, "resolution", i => Text(i.Field("resolution"), "name")),
        new("duedate", "Due Date", IssueFieldKind.Date, "duedate", i => CalendarDate(i.Field("duedate"))),
        new("labels", "Labels", IssueFieldKind.List, "labels", i => Names(i.Field("labels"))),
        new("components", "Components", IssueFieldKind.List, "components", i => Names(i.Field("components"))),
        new("fixVersions", "Fix Versions", IssueFieldKind.List, "fixVersions", i => Names(i.Field("fixVersions"))),
        new("versions", "Affects Versions", IssueFieldKind.List, "versions", i => Names(i.Field("versions"))),
        new("project", "Project", IssueFieldKind.Text, "project", i => Text(i.Field("project"), "key") ?? i.Key.Split('-')[0], c => c.ProjectKey),
        new("parent", "Parent", IssueFieldKind.Text, "parent", i => Text(i.Field("parent"), "key")),
        new("description", "Description", IssueFieldKind.Text, "description", i => PlainText(i.Field("description")), c => c.DescriptionText),
        new("environment", "Environment", IssueFieldKind.Text, "environment", i => PlainText(i.Field("environment"))),
        new("timespent", "Time Spent (s)", IssueFieldKind.Number, "timespent", i => Number(i.Field("timespent"))),
        new("timeoriginalestimate", "Original Estimate (s)", IssueFieldKind.Number, "timeoriginalestimate", i => Number(i.Field("timeoriginalestimate"))),
        new("timeestimate", "Remaining Estimate (s)", IssueFieldKind.Number, "timeestimate", i => Number(i.Field("timeestimate"))),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IssueField? Find(string name) => Fields.GetValueOrDefault(name);

    /// <summary>The standard field that reads Jira's field <paramref name="jiraId"/>, if there is one (e.g. "Due date" → duedate).</summary>
    public static IssueField? FindByJiraId(string jiraId) => Fields.Values.FirstOrDefault(f => f.JiraId == jiraId && f.Name != "resolved");

    public static IReadOnlyList<IssueField> Default => IssueFieldNames.Default.Select(n => Fields[n]).ToList();
}
