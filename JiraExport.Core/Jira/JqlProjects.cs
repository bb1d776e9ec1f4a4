using System.Text.RegularExpressions;

namespace JiraExport.Core.Jira;

/// <summary>
/// The projects a JQL query names (<c>project = DEV</c>, <c>project in (DEV, "OPS")</c>), for telling the people watching
/// those projects that an export of them runs. A reading, not a parser: a query that only excludes projects, or selects
/// them some other way (a filter, a component), names none.
/// </summary>
public static partial class JqlProjects
{
    /// <summary>A notice names a handful of projects; a query naming more is about "many projects", not these.</summary>
    public const int MaxNamed = 20;

    /// <summary>The keys named, in upper case, each once, in the order written; empty when none (or more than <see cref="MaxNamed"/>).</summary>
    public static IReadOnlyList<string> Named(string? jql)
    {
        if (string.IsNullOrWhiteSpace(jql))
        {
            return [];
        }

        var keys = new List<string>();
        foreach (Match clause in ProjectClause().Matches(jql))
        {
            if (IsQuoted(jql, clause.Index))
            {
                continue;
            }

            var values = clause.Groups["list"].Success ? clause.Groups["list"].Value.Split(',') : [clause.Groups["one"].Value];
            foreach (var value in values)
            {
                var key = value.Trim().Trim('"', '\'').ToUpperInvariant();
                if (ProjectKey().IsMatch(key) && !keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys.Count <= MaxNamed ? keys : [];
    }

    /// <summary>Whether <paramref name="index"/> falls inside a quoted string (<c>text ~ "project = HR"</c> names no project).</summary>
    private static bool IsQuoted(string jql, int index)
    {
        char? quote = null;
        for (var i = 0; i < index; i++)
        {
            var c = jql[i];
            if (c == '\\' && quote is not null)
            {
                i++;
            }
            else if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = null;
            }
        }

        return quote is not null;
    }

    [GeneratedRegex("""\bproject\s*(?:=\s*(?<one>"[^"]*"|'[^']*'|[A-Za-z0-9_]+)|\bin\s*\((?<list>[^)]*)\))""", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectClause();

    /// <summary>Jira's project keys: a letter, then letters, digits or underscores (a bare number is a project id).</summary>
    [GeneratedRegex(@"\A[A-Z][A-Z0-9_]{0,99}\z")]
    private static partial Regex ProjectKey();
}
