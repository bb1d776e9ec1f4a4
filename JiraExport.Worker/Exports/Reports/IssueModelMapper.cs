using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Jira.RichText;
using JiraExport.Core.Reports;
using JiraExport.Worker.Exports.IssueLists;

namespace JiraExport.Worker.Exports.Reports;

/// <summary>The activity of one issue read from the store; empty for kinds that do not show it.</summary>
public sealed record IssueActivityModel(
    IReadOnlyList<CommentModel> Comments,
    IReadOnlyList<WorklogModel> Worklogs,
    IReadOnlyList<TransitionModel> Transitions,
    IReadOnlyList<IssueLinkModel> Links,
    IReadOnlyList<string> SprintNames)
{
    public static IssueActivityModel None { get; } = new([], [], [], [], []);
}

/// <summary>
/// Turns Jira's <c>fields</c> object (as stored, or as Jira sends it live) into the report's issue: the standard fields
/// typed, every custom field by its display name, the description as sanitized HTML and text.
/// </summary>
public sealed class IssueModelMapper(IReadOnlyDictionary<string, string> fieldNames, string? browseBaseUrl)
{
    /// <summary>Headings of the standard fields a report can select, by field id.</summary>
    public static IReadOnlyDictionary<string, string> StandardFields { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["key"] = "Key", ["summary"] = "Summary", ["status"] = "Status", ["statusCategory"] = "Status category", ["issuetype"] = "Type",
        ["priority"] = "Priority", ["assignee"] = "Assignee", ["reporter"] = "Reporter", ["created"] = "Created", ["updated"] = "Updated",
        ["resolutiondate"] = "Resolved", ["resolution"] = "Resolution", ["duedate"] = "Due", ["labels"] = "Labels",
        ["components"] = "Components", ["fixVersions"] = "Fix versions", ["project"] = "Project", ["parent"] = "Parent",
    };

    private static readonly string[] StoryPointNames = ["Story Points", "Story point estimate"];

    public string? BrowseUrl(string key) => browseBaseUrl is null ? null : $"{browseBaseUrl}/browse/{Uri.EscapeDataString(key)}";

    /// <summary>The heading of a selectable field: a standard one, or a custom field by id or name.</summary>
    public string LabelOf(string field) =>
        StandardFields.TryGetValue(field, out var label) ? label : fieldNames.TryGetValue(field, out var name) ? name : field;

    public IssueModel Map(
        string id, string key, JsonElement fields, string? descriptionHtml, string? descriptionText,
        IReadOnlyList<JiraChangelogEntry> changelog, IssueActivityModel activity)
    {
        if (descriptionHtml is null && Property(fields, "description") is { } description)
        {
            (descriptionHtml, descriptionText) = description.ValueKind == JsonValueKind.Object
                ? (AtlassianDocument.ToHtml(description), AtlassianDocument.ToPlainText(description))
                : (WikiMarkup.ToHtml(description.GetString()), WikiMarkup.ToPlainText(description.GetString()));
        }

        var customFields = new List<FieldModel>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        double? storyPoints = null;
        if (fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                if (!field.Name.StartsWith("customfield_", StringComparison.Ordinal) || field.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                var name = fieldNames.TryGetValue(field.Name, out var known) ? known : field.Name;
                var text = TextOf(field.Value);
                if (text.Length == 0)
                {
                    continue;
                }

                customFields.Add(new FieldModel(field.Name, name, text));
                values[field.Name] = text;
                values.TryAdd(name, text);
                if (storyPoints is null && StoryPointNames.Contains(name) && field.Value.ValueKind == JsonValueKind.Number)
                {
                    storyPoints = field.Value.GetDouble();
                }
            }
        }

        var updated = Date(fields, "updated") ?? DateTimeOffset.MinValue;
        var issue = new IssueModel(
            key, id, BrowseUrl(key), Text(fields, "project", "key") ?? key.Split('-')[0], Text(fields, "summary") ?? string.Empty,
            Text(fields, "issuetype", "name"), Text(fields, "status", "name") ?? string.Empty, Text(fields, "status", "statusCategory", "key"),
            Text(fields, "priority", "name"), Text(fields, "assignee", "displayName"), Text(fields, "reporter", "displayName"),
            Text(fields, "resolution", "name"), Date(fields, "created"), updated, Date(fields, "resolutiondate"), Date(fields, "duedate"),
            Names(fields, "labels", null), Names(fields, "components", "name"), Names(fields, "fixVersions", "name"), Text(fields, "parent", "key"),
            storyPoints, descriptionHtml, descriptionText,
            customFields.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToList(), values,
            activity.Comments, activity.Worklogs, activity.Transitions,
            changelog.Select(c => new ChangeModel(c.Author?.DisplayName, c.Created ?? updated,
                (c.Items ?? []).Select(i => new ChangeItemModel(i.Field ?? i.FieldId ?? string.Empty, i.FromString, i.ToText)).ToList())).ToList(),
            activity.SprintNames, activity.Links);

        values["key"] = key;
        values["summary"] = issue.Summary;
        values["status"] = issue.Status;
        values["statusCategory"] = issue.StatusCategory ?? string.Empty;
        values["issuetype"] = issue.IssueType ?? string.Empty;
        values["priority"] = issue.Priority ?? string.Empty;
        values["assignee"] = issue.Assignee ?? string.Empty;
        values["reporter"] = issue.Reporter ?? string.Empty;
        values["created"] = Format(issue.Created);
        values["updated"] = Format(issue.Updated);
        values["resolutiondate"] = Format(issue.Resolved);
        values["resolution"] = issue.Resolution ?? string.Empty;
        values["duedate"] = issue.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
        values["labels"] = string.Join(", ", issue.Labels);
        values["components"] = string.Join(", ", issue.Components);
        values["fixVersions"] = string.Join(", ", issue.FixVersions);
        values["project"] = issue.Project;
        values["parent"] = issue.Parent ?? string.Empty;
        return issue;
    }

    /// <summary>The fix versions named in an issue's fields, as release notes describe them.</summary>
    public static IEnumerable<VersionFacts> VersionsOf(JsonElement fields) =>
        Property(fields, "fixVersions") is { ValueKind: JsonValueKind.Array } versions
            ? versions.EnumerateArray().Where(v => Text(v, "name") is not null).Select(v => new VersionFacts(
                Text(v, "name")!, Property(v, "released") is { ValueKind: JsonValueKind.True }, Text(v, "releaseDate"), Text(v, "description")))
            : [];

    public static string Format(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string Duration(int seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        var hours = (int)span.TotalHours;
        return hours > 0 ? (span.Minutes > 0 ? $"{hours}h {span.Minutes}m" : $"{hours}h") : $"{span.Minutes}m";
    }

    /// <summary>A field value as a person reads it, whatever its schema (the flat exports' reading).</summary>
    public static string TextOf(JsonElement value) => IssueFieldValues.Display(value) ?? string.Empty;

    private static List<string> Names(JsonElement fields, string field, string? member) =>
        Property(fields, field) is { ValueKind: JsonValueKind.Array } items
            ? items.EnumerateArray().Select(i => member is null ? (i.ValueKind == JsonValueKind.String ? i.GetString() : null) : Text(i, member)).OfType<string>().ToList()
            : [];

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement element, params string[] path) => IssueFieldValues.Text(element, path);

    private static DateTimeOffset? Date(JsonElement element, string name) => IssueFieldValues.Instant(Property(element, name));
}
