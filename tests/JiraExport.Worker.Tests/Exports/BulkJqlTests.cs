using JiraExport.Worker.Exports.Bulk;

namespace JiraExport.Worker.Tests.Exports;

public sealed class BulkJqlTests
{
    [Theory]
    [InlineData("project = ALPHA", "status = Done", "project = ALPHA AND (status = Done)")]
    [InlineData("project = ALPHA", "status = Done ORDER BY key DESC", "project = ALPHA AND (status = Done) ORDER BY key DESC")]
    [InlineData("project = ALPHA", "ORDER BY updated", "project = ALPHA ORDER BY updated")]
    [InlineData("project = ALPHA", "(a = 1 OR b = 2)order  by rank", "project = ALPHA AND ((a = 1 OR b = 2)) order  by rank")]
    public void APartNarrowsTheRequestAndKeepsItsOrderAtTheEnd(string part, string jql, string expected) =>
        Assert.Equal(expected, BulkJql.Narrow(part, jql));

    [Theory]
    [InlineData("summary ~ \"order by\"")]
    [InlineData("summary ~ 'sort ORDER BY date'")]
    [InlineData("text ~ \"say \\\"order by\\\" twice\"")]
    [InlineData("reorder = yes")]
    [InlineData("labels = border")]
    public void OrderByInsideTextOrAWordIsNotTheClause(string jql)
    {
        var (condition, orderBy) = BulkJql.SplitOrderBy(jql);

        Assert.Equal(jql, condition);
        Assert.Null(orderBy);
    }

    [Theory]
    [InlineData("ALPHA", "\"ALPHA\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    public void AQuotedValueCannotCloseItsString(string value, string expected) =>
        Assert.Equal(expected, BulkJql.Quote(value));
}
