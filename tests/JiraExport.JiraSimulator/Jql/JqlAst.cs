namespace JiraExport.JiraSimulator.Jql;

internal enum JqlOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Like,
    NotLike,
    Is,
    IsNot,
}

internal abstract record JqlExpression;

internal sealed record JqlAnd(JqlExpression Left, JqlExpression Right) : JqlExpression;

internal sealed record JqlOr(JqlExpression Left, JqlExpression Right) : JqlExpression;

internal sealed record JqlNot(JqlExpression Operand) : JqlExpression;

/// <summary><c>field operator value</c> or <c>field IN (values)</c>; field and values keep the user's spelling.</summary>
internal sealed record JqlClause(string Field, JqlOperator Operator, IReadOnlyList<string> Values) : JqlExpression;

internal sealed record JqlOrderField(string Field, bool Descending);

internal sealed record JqlQuery(JqlExpression? Where, IReadOnlyList<JqlOrderField> OrderBy)
{
    /// <summary>Cloud's enhanced search refuses queries with no search restriction (only ORDER BY, or nothing).</summary>
    public bool IsBounded => Where is not null;
}

internal static class JqlOperatorText
{
    public static string ToJql(this JqlOperator op) => op switch
    {
        JqlOperator.Equals => "=",
        JqlOperator.NotEquals => "!=",
        JqlOperator.In => "in",
        JqlOperator.NotIn => "not in",
        JqlOperator.Less => "<",
        JqlOperator.LessOrEqual => "<=",
        JqlOperator.Greater => ">",
        JqlOperator.GreaterOrEqual => ">=",
        JqlOperator.Like => "~",
        JqlOperator.NotLike => "!~",
        JqlOperator.Is => "is",
        JqlOperator.IsNot => "is not",
        _ => op.ToString(),
    };
}
