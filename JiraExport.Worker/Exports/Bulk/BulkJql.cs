namespace JiraExport.Worker.Exports.Bulk;

/// <summary>
/// Builds a part's JQL from the bulk request's: the part's own clause AND the request's condition, keeping the request's
/// ORDER BY at the end (JQL allows it only there, so it cannot stay inside the parentheses).
/// </summary>
public static class BulkJql
{
    public static string Narrow(string partClause, string jql)
    {
        var (condition, orderBy) = SplitOrderBy(jql);
        var narrowed = condition.Length == 0 ? partClause : $"{partClause} AND ({condition})";
        return orderBy is null ? narrowed : $"{narrowed} {orderBy}";
    }

    /// <summary>A JQL string literal, quoted and escaped.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The condition and the top-level <c>ORDER BY …</c> clause (null when there is none), ignoring quoted text.</summary>
    public static (string Condition, string? OrderBy) SplitOrderBy(string jql)
    {
        char? quote = null;
        for (var i = 0; i < jql.Length; i++)
        {
            var c = jql[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if ((c is 'o' or 'O') && IsWordStart(jql, i) && StartsOrderBy(jql, i))
            {
                return (jql[..i].Trim(), jql[i..].Trim());
            }
        }

        return (jql.Trim(), null);
    }

    private static bool IsWordStart(string text, int index) => index == 0 || char.IsWhiteSpace(text[index - 1]) || text[index - 1] == ')';

    private static bool StartsOrderBy(string text, int index)
    {
        if (string.Compare(text, index, "order", 0, 5, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        var next = index + 5;
        var spaces = next;
        while (spaces < text.Length && char.IsWhiteSpace(text[spaces]))
        {
            spaces++;
        }

        return spaces > next
            && string.Compare(text, spaces, "by", 0, 2, StringComparison.OrdinalIgnoreCase) == 0
            && (spaces + 2 == text.Length || char.IsWhiteSpace(text[spaces + 2]));
    }
}
