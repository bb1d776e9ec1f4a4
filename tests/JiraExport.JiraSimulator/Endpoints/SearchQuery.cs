using JiraExport.JiraSimulator.Jql;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Runs JQL against the store, applying the rule Cloud's enhanced search adds: the query must be bounded.</summary>
internal static class SearchQuery
{
    public const string UnboundedMessage = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";

    public static IReadOnlyList<SeedIssue> Run(IssueStore store, string? jql, bool requireBounded)
    {
        var query = JqlParser.Parse(jql);
        if (requireBounded && !query.IsBounded)
        {
            throw new JiraRequestException(StatusCodes.Status400BadRequest, UnboundedMessage);
        }

        return store.Search(JqlCompiler.Compile(query, store));
    }
}
