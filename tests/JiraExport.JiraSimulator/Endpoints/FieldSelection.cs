namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>What an endpoint returns when the request names no fields.</summary>
internal enum FieldDefault
{
    /// <summary>Cloud's enhanced search: the id only.</summary>
    IdOnly,

    /// <summary>Search and bulk fetch: <c>*navigable</c>.</summary>
    Navigable,

    /// <summary>GET issue: <c>*all</c>.</summary>
    All,
}

/// <summary>
/// Which issue fields a request returns, from Jira's <c>fields</c> parameter: names, <c>*all</c>, <c>*navigable</c>
/// and <c>-name</c> exclusions, as an array or comma-separated. Unknown names are ignored, as Jira does.
/// </summary>
internal sealed class FieldSelection
{
    /// <summary>The site's "Story Points" custom field; its id differs per real site, so clients resolve it through <c>/field</c>.</summary>
    public const string StoryPointsField = "customfield_10016";

    /// <summary>The site's "Sprint" custom field (Cloud's usual id; resolve it by <c>schema.custom</c> gh-sprint).</summary>
    public const string SprintField = "customfield_10020";

    /// <summary>Every platform field the simulator renders, in the order it renders them.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        "summary", "status", "priority", "assignee", "reporter", "created", "updated", "resolution", "resolutiondate", "issuetype", "project",
        "description", "labels", "fixVersions",
        StoryPointsField, SprintField, "parent", "issuelinks", "timespent", "timeoriginalestimate", "timeestimate", "timetracking",
        "comment", "worklog", "attachment",
    ];

    /// <summary>Fields Jira's <c>/field</c> calls not navigable: <c>*navigable</c> (and so search's default) leaves them out.</summary>
    public static readonly IReadOnlySet<string> NotNavigable = new HashSet<string>(StringComparer.Ordinal) { "timetracking", "comment", "worklog", "attachment" };

    /// <summary>The Agile API's own fields, which only <c>/rest/agile/1.0</c> renders.</summary>
    public static readonly IReadOnlyList<string> AgileFields = ["sprint", "closedSprints", "flagged", "epic"];

    private FieldSelection(IReadOnlySet<string> fields, bool keyRequested)
    {
        Fields = fields;
        KeyRequested = keyRequested;
    }

    /// <summary>Fields to render inside <c>fields</c>, by their canonical names.</summary>
    public IReadOnlySet<string> Fields { get; }

    public bool KeyRequested { get; }

    /// <summary>Only <c>id</c> and/or <c>key</c>: the cheap case Cloud pages up to 5,000 issues at a time.</summary>
    public bool IsIdOrKeyOnly => Fields.Count == 0;

    /// <summary>Only <c>id</c>: Cloud's enhanced search then answers with bare <c>{"id":"…"}</c> issues.</summary>
    public bool IsIdOnly => Fields.Count == 0 && !KeyRequested;

    /// <param name="raw">Values as sent; each may hold several comma-separated names. Null or empty means "use the default".</param>
    /// <param name="fallback">What no names at all, or only exclusions, start from.</param>
    /// <param name="agile">Whether the Agile fields exist (they join <c>*all</c>, <c>*navigable</c> and the defaults).</param>
    public static FieldSelection Parse(IEnumerable<string>? raw, FieldDefault fallback, bool agile = false)
    {
        IReadOnlyList<string> known = agile ? [.. Supported, .. AgileFields] : Supported;
        var byName = known.ToDictionary(n => n, StringComparer.OrdinalIgnoreCase);
        var navigable = known.Where(n => !NotNavigable.Contains(n)).ToList();

        var names = (raw ?? [])
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        var included = names.Where(n => !n.StartsWith('-')).ToList();
        var excluded = names.Where(n => n.StartsWith('-')).Select(n => byName.GetValueOrDefault(n[1..])).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var fields = new HashSet<string>(StringComparer.Ordinal);
        var key = false;
        if (included.Count == 0)
        {
            // Exclusions alone trim the default set (navigable, where the default is the id alone).
            if (fallback != FieldDefault.IdOnly || excluded.Count > 0)
            {
                fields.UnionWith(fallback == FieldDefault.All ? known : navigable);
                key = true;
            }
        }

        foreach (var name in included)
        {
            if (name.Equals("*all", StringComparison.OrdinalIgnoreCase))
            {
                fields.UnionWith(known);
                key = true;
            }
            else if (name.Equals("*navigable", StringComparison.OrdinalIgnoreCase))
            {
                fields.UnionWith(navigable);
                key = true;
            }
            else if (name.Equals("key", StringComparison.OrdinalIgnoreCase))
            {
                key = true;
            }
            else if (byName.TryGetValue(name, out var canonical))
            {
                fields.Add(canonical);
            }
        }

        fields.ExceptWith(excluded);
        return new FieldSelection(fields, key);
    }
}
