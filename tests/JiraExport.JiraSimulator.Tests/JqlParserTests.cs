using JiraExport.JiraSimulator.Jql;

namespace JiraExport.JiraSimulator.Tests;

public sealed class JqlParserTests
{
    [Fact]
    public void ProjectEqualsParsesToOneClause()
    {
        var query = JqlParser.Parse("project = ALPHA");

        var clause = Assert.IsType<JqlClause>(query.Where);
        Assert.Equal("project", clause.Field);
        Assert.Equal(JqlOperator.Equals, clause.Operator);
        Assert.Equal(["ALPHA"], clause.Values);
        Assert.Empty(query.OrderBy);
    }

    [Fact]
    public void ProjectInListKeepsEveryValue()
    {
        var clause = Assert.IsType<JqlClause>(JqlParser.Parse("project in (ALPHA, BETA,GAMMA)").Where);

        Assert.Equal(JqlOperator.In, clause.Operator);
        Assert.Equal(["ALPHA", "BETA", "GAMMA"], clause.Values);
    }

    [Fact]
    public void NotInParsesAsOneOperator()
    {
        var clause = Assert.IsType<JqlClause>(JqlParser.Parse("project not in (DELTA)").Where);

        Assert.Equal(JqlOperator.NotIn, clause.Operator);
    }

    [Theory]
    [InlineData("status = \"In Progress\"", "In Progress")]
    [InlineData("status = 'In Review'", "In Review")]
    [InlineData("status = Done", "Done")]
    public void StatusValueMayBeQuotedOrBare(string jql, string expected)
    {
        var clause = Assert.IsType<JqlClause>(JqlParser.Parse(jql).Where);

        Assert.Equal(expected, Assert.Single(clause.Values));
    }

    [Fact]
    public void KeyEqualsKeepsTheKey()
    {
        var clause = Assert.IsType<JqlClause>(JqlParser.Parse("key = ALPHA-12").Where);

        Assert.Equal("key", clause.Field);
        Assert.Equal(["ALPHA-12"], clause.Values);
    }

    [Fact]
    public void KeywordsAreCaseInsensitive()
    {
        var query = JqlParser.Parse("project = ALPHA and status = Done Order By key desc");

        var and = Assert.IsType<JqlAnd>(query.Where);
        Assert.IsType<JqlClause>(and.Left);
        Assert.IsType<JqlClause>(and.Right);
        Assert.Equal([new JqlOrderField("key", Descending: true)], query.OrderBy);
    }

    [Fact]
    public void AndBindsTighterThanOr()
    {
        var or = Assert.IsType<JqlOr>(JqlParser.Parse("project = A OR project = B AND status = Done").Where);

        Assert.IsType<JqlClause>(or.Left);
        Assert.IsType<JqlAnd>(or.Right);
    }

    [Fact]
    public void ParenthesesGroupClauses()
    {
        var and = Assert.IsType<JqlAnd>(JqlParser.Parse("(project = A OR project = B) AND status = Done").Where);

        Assert.IsType<JqlOr>(and.Left);
    }

    [Fact]
    public void OrderByTakesSeveralFieldsWithOptionalDirections()
    {
        var query = JqlParser.Parse("project = ALPHA ORDER BY created DESC, key, updated ASC");

        Assert.Equal(
            [new JqlOrderField("created", true), new JqlOrderField("key", false), new JqlOrderField("updated", false)],
            query.OrderBy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ORDER BY key DESC")]
    public void QueryWithoutRestrictionIsUnbounded(string jql)
    {
        Assert.False(JqlParser.Parse(jql).IsBounded);
    }

    [Fact]
    public void UnbalancedParenthesisIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("(project = ALPHA"));

        Assert.Equal("Error in the JQL Query: Expecting ')' before the end of the query.", ex.Message);
    }

    [Fact]
    public void StrayClosingParenthesisIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project = ALPHA)"));

        Assert.StartsWith("Error in the JQL Query: Expecting either 'OR' or 'AND' but got ')'.", ex.Message);
    }

    [Fact]
    public void TrailingGarbageIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project = ALPHA garbage"));

        Assert.Equal("Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'garbage'. (line 1, character 17)", ex.Message);
    }

    [Fact]
    public void MissingOperatorIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project ALPHA"));

        Assert.StartsWith("Error in the JQL Query: Expecting operator but got 'ALPHA'.", ex.Message);
    }

    [Fact]
    public void MissingValueIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project = "));

        Assert.Equal("Error in the JQL Query: Expecting either a value, list or function before the end of the query.", ex.Message);
    }

    [Fact]
    public void OrderWithoutByIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project = A ORDER key"));

        Assert.StartsWith("Error in the JQL Query: Expecting 'BY' but got 'key'.", ex.Message);
    }

    [Fact]
    public void BadOrderDirectionIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project = A ORDER BY key sideways"));

        Assert.StartsWith("Error in the JQL Query: Expecting either 'ASC' or 'DESC' but got 'sideways'.", ex.Message);
    }

    [Fact]
    public void UnclosedInListIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse("project in (ALPHA, BETA"));

        Assert.Equal("Error in the JQL Query: Expecting ',' or ')' before the end of the query.", ex.Message);
    }

    [Fact]
    public void OverlongQueryIsRejected()
    {
        var jql = "key in (" + string.Join(", ", Enumerable.Range(1, 2000).Select(n => $"ALPHA-{n}")) + ")";

        var ex = Assert.Throws<JqlException>(() => JqlParser.Parse(jql));

        Assert.StartsWith("Error in the JQL Query: The query is", ex.Message);
    }
}
