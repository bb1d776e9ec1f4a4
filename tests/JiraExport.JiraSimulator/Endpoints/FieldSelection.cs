namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Which issue fields a search returns, from Jira's <c>fields</c> parameter: names, <c>*all</c>, <c>*navigable</c>
/// and <c>-name</c> exclusions, as an array or comma-separated. Unknown names are ignored, as Jira does.
/// </summary>
internal sealed class FieldSelection
{
    public static readonly IReadOnlyList<string> Supported =
        ["summary", "status", "priority", "assignee", "reporter", "created", "updated", "issuetype", "project", "description", "labels", StoryPointsField];

    /// <summary>The site's "Story Points" custom field; its id differs per real site, so clients resolve it through <c>/field</c>.</summary>
    public const string StoryPointsField = "customfield_10016";

    private FieldSelection(IReadOnlySet<string> fields, bool keyRequested)
    {
        Fields = fields;
        KeyRequested = keyRequested;
    }

    /// <summary>Supported fields to render inside <c>fields</c>, lower case.</summary>
    public IReadOnlySet<string> Fields { get; }

    public bool KeyRequested { get; }

    /// <summary>Only <c>id</c> and/or <c>key</c>: the cheap case Cloud pages up to 5,000 issues at a time.</summary>
    public bool IsIdOrKeyOnly => Fields.Count == 0;

    /// <summary>Only <c>id</c>: Cloud's enhanced search then answers with bare <c>{"id":"…"}</c> issues.</summary>
    public bool IsIdOnly => Fields.Count == 0 && !KeyRequested;

    /// <param name="raw">Values as sent; each may hold several comma-separated names. Null or empty means "use the default".</param>
    /// <param name="defaultToAll">Legacy search defaults to <c>*navigable</c>; enhanced search defaults to <c>id</c>.</param>
    public static FieldSelection Parse(IEnumerable<string>? raw, bool defaultToAll)
    {
        var names = (raw ?? [])
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => name.ToLowerInvariant())
            .ToList();
        var included = names.Where(n => !n.StartsWith('-')).ToList();
        var excluded = names.Where(n => n.StartsWith('-')).Select(n => n[1..]).ToHashSet(StringComparer.Ordinal);

        var fields = new HashSet<string>(StringComparer.Ordinal);
        var key = false;
        if (included.Count == 0)
        {
            // Exclusions alone trim the default set.
            if (defaultToAll || excluded.Count > 0)
            {
                fields.UnionWith(Supported);
                key = true;
            }
        }

        foreach (var name in included)
        {
            if (name is "*all" or "*navigable")
            {
                fields.UnionWith(Supported);
                key = true;
            }
            else if (name == "key")
            {
                key = true;
            }
            else if (Supported.Contains(name))
            {
                fields.Add(name);
            }
        }

        fields.ExceptWith(excluded);
        return new FieldSelection(fields, key);
    }
}
