namespace JiraExport.JiraSimulator.Jql;

/// <summary>
/// Recursive-descent parser for the JQL subset the simulator serves:
/// <code>
/// query   := [or] [ORDER BY order {, order}] END
/// or      := and {OR and}
/// and     := not {AND not}
/// not     := NOT not | '(' or ')' | clause
/// clause  := field op value | field [NOT] IN '(' value {, value} ')' | field IS [NOT] EMPTY
/// </code>
/// Only syntax is checked here; <see cref="JqlCompiler"/> checks fields and values against the data.
/// </summary>
internal sealed class JqlParser
{
    /// <summary>Jira refuses very long JQL; a cap also keeps a hostile query from tying up the simulator.</summary>
    public const int MaxLength = 10_000;

    private const string ValidOperators =
        "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

    private static readonly string[] Reserved = ["AND", "OR", "NOT", "IN", "IS", "ORDER", "BY", "EMPTY", "NULL"];

    private readonly string _jql;
    private readonly IReadOnlyList<JqlToken> _tokens;
    private int _index;

    private JqlParser(string jql)
    {
        _jql = jql;
        _tokens = JqlTokenizer.Tokenize(jql);
    }

    private JqlToken Current => _tokens[_index];

    public static JqlQuery Parse(string? jql)
    {
        jql ??= string.Empty;
        if (jql.Length > MaxLength)
        {
            throw new JqlException(
                $"Error in the JQL Query: The query is {jql.Length} characters long; the limit is {MaxLength}.");
        }

        return new JqlParser(jql).ParseQuery();
    }

    private JqlQuery ParseQuery()
    {
        JqlExpression? where = null;
        if (Current.Kind != JqlTokenKind.End && !Current.IsKeyword("ORDER"))
        {
            where = ParseOr();
        }

        var orderBy = Current.IsKeyword("ORDER") ? ParseOrderBy() : [];
        if (Current.Kind != JqlTokenKind.End)
        {
            throw Unexpected("Expecting either 'OR' or 'AND'");
        }

        return new JqlQuery(where, orderBy);
    }

    private JqlExpression ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            _index++;
            left = new JqlOr(left, ParseAnd());
        }

        return left;
    }

    private JqlExpression ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            _index++;
            left = new JqlAnd(left, ParseNot());
        }

        return left;
    }

    private JqlExpression ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            _index++;
            return new JqlNot(ParseNot());
        }

        if (Current.Kind == JqlTokenKind.LeftParen)
        {
            _index++;
            var inner = ParseOr();
            Expect(JqlTokenKind.RightParen, "')'");
            return inner;
        }

        return ParseClause();
    }

    private JqlClause ParseClause()
    {
        var field = ParseFieldName();
        var op = ParseOperator();
        if (op is JqlOperator.In or JqlOperator.NotIn)
        {
            return new JqlClause(field, op, ParseList());
        }

        if (op is JqlOperator.Is or JqlOperator.IsNot)
        {
            if (!Current.IsKeyword("EMPTY") && !Current.IsKeyword("NULL"))
            {
                throw Unexpected("Expecting 'EMPTY' or 'NULL'");
            }

            _index++;
            return new JqlClause(field, op, []);
        }

        return new JqlClause(field, op, [ParseValue()]);
    }

    private string ParseFieldName()
    {
        var token = Current;
        if (token.Kind == JqlTokenKind.String || (token.Kind == JqlTokenKind.Word && !IsReserved(token)))
        {
            _index++;
            return token.Text;
        }

        throw Unexpected("Expecting a field name");
    }

    private JqlOperator ParseOperator()
    {
        var token = Current;
        if (token.Kind == JqlTokenKind.Operator)
        {
            _index++;
            return token.Text switch
            {
                "=" => JqlOperator.Equals,
                "!=" => JqlOperator.NotEquals,
                "<" => JqlOperator.Less,
                "<=" => JqlOperator.LessOrEqual,
                ">" => JqlOperator.Greater,
                ">=" => JqlOperator.GreaterOrEqual,
                "~" => JqlOperator.Like,
                _ => JqlOperator.NotLike,
            };
        }

        if (token.IsKeyword("IN"))
        {
            _index++;
            return JqlOperator.In;
        }

        if (token.IsKeyword("NOT") && _tokens[_index + 1].IsKeyword("IN"))
        {
            _index += 2;
            return JqlOperator.NotIn;
        }

        if (token.IsKeyword("IS"))
        {
            _index++;
            if (Current.IsKeyword("NOT"))
            {
                _index++;
                return JqlOperator.IsNot;
            }

            return JqlOperator.Is;
        }

        throw token.Kind == JqlTokenKind.End
            ? JqlException.SyntaxAtEnd($"Expecting operator before the end of the query. {ValidOperators}")
            : JqlException.Syntax(_jql, token.Position, $"Expecting operator but got '{token.Display}'. {ValidOperators}");
    }

    private List<string> ParseList()
    {
        Expect(JqlTokenKind.LeftParen, "'('");
        var values = new List<string> { ParseValue() };
        while (Current.Kind == JqlTokenKind.Comma)
        {
            _index++;
            values.Add(ParseValue());
        }

        Expect(JqlTokenKind.RightParen, "',' or ')'");
        return values;
    }

    private string ParseValue()
    {
        var token = Current;
        if (token.Kind == JqlTokenKind.String || (token.Kind == JqlTokenKind.Word && !IsReserved(token)))
        {
            _index++;
            return token.Text;
        }

        throw Unexpected("Expecting either a value, list or function");
    }

    private List<JqlOrderField> ParseOrderBy()
    {
        _index++; // ORDER
        if (!Current.IsKeyword("BY"))
        {
            throw Unexpected("Expecting 'BY'");
        }

        _index++;
        var fields = new List<JqlOrderField> { ParseOrderField() };
        while (Current.Kind == JqlTokenKind.Comma)
        {
            _index++;
            fields.Add(ParseOrderField());
        }

        return fields;
    }

    private JqlOrderField ParseOrderField()
    {
        var field = ParseFieldName();
        var descending = false;
        if (Current.IsKeyword("DESC"))
        {
            descending = true;
            _index++;
        }
        else if (Current.IsKeyword("ASC"))
        {
            _index++;
        }
        else if (Current.Kind is not (JqlTokenKind.Comma or JqlTokenKind.End))
        {
            throw Unexpected("Expecting either 'ASC' or 'DESC'");
        }

        return new JqlOrderField(field, descending);
    }

    private void Expect(JqlTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected($"Expecting {what}");
        }

        _index++;
    }

    private JqlException Unexpected(string expecting) =>
        Current.Kind == JqlTokenKind.End
            ? JqlException.SyntaxAtEnd($"{expecting} before the end of the query.")
            : JqlException.Syntax(_jql, Current.Position, $"{expecting} but got '{Current.Display}'.");

    private static bool IsReserved(JqlToken token) =>
        Reserved.Any(word => token.IsKeyword(word));
}
