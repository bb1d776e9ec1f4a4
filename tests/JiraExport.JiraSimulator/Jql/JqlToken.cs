namespace JiraExport.JiraSimulator.Jql;

internal enum JqlTokenKind
{
    /// <summary>An unquoted word: a keyword, field name or value (ALPHA-1, -5d, 10000).</summary>
    Word,

    /// <summary>A quoted value; never a keyword, even when it reads "AND".</summary>
    String,
    Operator,
    LeftParen,
    RightParen,
    Comma,
    End,
}

internal readonly record struct JqlToken(JqlTokenKind Kind, string Text, int Position)
{
    public bool IsKeyword(string keyword) =>
        Kind == JqlTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>How Jira quotes the token in error messages.</summary>
    public string Display => Kind == JqlTokenKind.String ? $"\"{Text}\"" : Text;
}
