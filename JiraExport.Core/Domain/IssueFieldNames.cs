using System.Text.RegularExpressions;

namespace JiraExport.Core.Domain;

/// <summary>
/// The names an export's <c>fields</c> may use, shared by the request validation, the CSV/XLSX/JSON writers and the
/// report templates. Standard fields have fixed lower-camel names (<see cref="Standard"/>); custom fields are named by
/// id (<c>customfield_10016</c>) or by the name Jira shows (<c>Story Points</c>) and are resolved against the site's
/// field list when the export runs.
/// </summary>
public static partial class IssueFieldNames
{
    public static readonly IReadOnlyList<string> Standard =
    [
        "key", "id", "summary", "status", "statusCategory", "issuetype", "priority", "assignee", "reporter", "creator",
        "created", "updated", "resolved", "resolutiondate", "resolution", "duedate", "labels", "components", "fixVersions",
        "versions", "project", "parent", "description", "environment", "timespent", "timeoriginalestimate", "timeestimate",
    ];

    /// <summary>The columns of an issue list when the request names none.</summary>
    public static readonly IReadOnlyList<string> Default = ["key", "summary", "status", "assignee", "priority", "updated"];

    public const int MaxFields = 100;

    public static bool IsStandard(string name) => Standard.Contains(name, StringComparer.Ordinal);

    /// <summary><c>customfield_10016</c>: a custom field by its id.</summary>
    public static bool IsCustomFieldId(string name) => CustomFieldId().IsMatch(name);

    /// <summary>
    /// A single lower-camel word (<c>status</c>, <c>fixVersions</c>) is how standard fields are written, so such a name
    /// that is not one is a mistake, refused at once; anything else may be a custom field's name.
    /// </summary>
    public static bool LooksStandard(string name) => StandardShape().IsMatch(name);

    [GeneratedRegex("^customfield_[0-9]+$")]
    private static partial Regex CustomFieldId();

    [GeneratedRegex("^[a-z][A-Za-z]*$")]
    private static partial Regex StandardShape();
}
