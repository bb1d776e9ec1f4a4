namespace JiraExport.JiraSimulator.Jql;

/// <summary>A JQL query Jira would refuse; <see cref="Exception.Message"/> is the text Jira puts in <c>errorMessages</c>.</summary>
internal sealed class JqlException(string message) : Exception(message)
{
    /// <summary>Syntax errors carry Jira's prefix and a 1-based position, as Jira reports them.</summary>
    public static JqlException Syntax(string jql, int index, string detail)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < index && i < jql.Length; i++)
        {
            if (jql[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new JqlException($"Error in the JQL Query: {detail} (line {line}, character {column})");
    }

    public static JqlException SyntaxAtEnd(string detail) => new($"Error in the JQL Query: {detail}");
}
