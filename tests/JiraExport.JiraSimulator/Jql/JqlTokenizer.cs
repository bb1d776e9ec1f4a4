using System.Globalization;
using System.Text;

namespace JiraExport.JiraSimulator.Jql;

/// <summary>Splits JQL into words, quoted strings, operators and punctuation, rejecting Jira's reserved characters.</summary>
internal static class JqlTokenizer
{
    // Jira refuses these outside quotes (its "reserved JQL character" list).
    private const string ReservedCharacters = "+.;?|*/%^$#@[]{}&\\`";

    public static IReadOnlyList<JqlToken> Tokenize(string jql)
    {
        var tokens = new List<JqlToken>();
        var i = 0;
        while (i < jql.Length)
        {
            var c = jql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            switch (c)
            {
                case '(':
                    tokens.Add(new JqlToken(JqlTokenKind.LeftParen, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new JqlToken(JqlTokenKind.RightParen, ")", i++));
                    continue;
                case ',':
                    tokens.Add(new JqlToken(JqlTokenKind.Comma, ",", i++));
                    continue;
                case '"' or '\'':
                    i = ReadString(jql, i, tokens);
                    continue;
                case '=' or '~':
                    tokens.Add(new JqlToken(JqlTokenKind.Operator, c.ToString(), i++));
                    continue;
                case '!' or '<' or '>':
                    i = ReadComparison(jql, i, tokens);
                    continue;
            }

            if (IsWordCharacter(c))
            {
                var start = i;
                while (i < jql.Length && IsWordCharacter(jql[i]))
                {
                    i++;
                }

                tokens.Add(new JqlToken(JqlTokenKind.Word, jql[start..i], start));
                continue;
            }

            var escape = ((int)c).ToString("x4", CultureInfo.InvariantCulture);
            throw JqlException.Syntax(jql, i,
                $"The character '{c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u{escape}' instead.");
        }

        tokens.Add(new JqlToken(JqlTokenKind.End, string.Empty, jql.Length));
        return tokens;
    }

    private static bool IsWordCharacter(char c) =>
        char.IsLetterOrDigit(c) || c is '-' or '_' or ':';

    private static int ReadComparison(string jql, int i, List<JqlToken> tokens)
    {
        var c = jql[i];
        var next = i + 1 < jql.Length ? jql[i + 1] : '\0';
        if (next == '=' || (c == '!' && next == '~'))
        {
            tokens.Add(new JqlToken(JqlTokenKind.Operator, $"{c}{next}", i));
            return i + 2;
        }

        if (c == '!')
        {
            throw JqlException.Syntax(jql, i,
                "The character '!' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0021' instead.");
        }

        tokens.Add(new JqlToken(JqlTokenKind.Operator, c.ToString(), i));
        return i + 1;
    }

    private static int ReadString(string jql, int start, List<JqlToken> tokens)
    {
        var quote = jql[start];
        var text = new StringBuilder();
        var i = start + 1;
        while (i < jql.Length)
        {
            var c = jql[i];
            if (c == quote)
            {
                tokens.Add(new JqlToken(JqlTokenKind.String, text.ToString(), start));
                return i + 1;
            }

            if (c == '\\' && i + 1 < jql.Length)
            {
                i = ReadEscape(jql, i, text);
                continue;
            }

            text.Append(c);
            i++;
        }

        throw JqlException.Syntax(jql, start, $"The quoted string '{text}' has not been completed.");
    }

    private static int ReadEscape(string jql, int i, StringBuilder text)
    {
        var next = jql[i + 1];
        switch (next)
        {
            case 'n':
                text.Append('\n');
                return i + 2;
            case 't':
                text.Append('\t');
                return i + 2;
            case 'r':
                text.Append('\r');
                return i + 2;
            case 'u' when i + 5 < jql.Length
                          && int.TryParse(jql.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                text.Append((char)code);
                return i + 6;
            case '"' or '\'' or '\\' or ' ':
                text.Append(next);
                return i + 2;
            default:
                throw JqlException.Syntax(jql, i, $"The escape sequence '\\{next}' is illegal.");
        }
    }
}
