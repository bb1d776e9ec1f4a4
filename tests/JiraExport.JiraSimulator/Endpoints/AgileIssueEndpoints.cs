using System.Globalization;
using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Jql;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// The Agile API's sprints and epics with their issues, and its view of one issue. Issue lists are legacy search pages
/// (<c>startAt</c>, <c>maxResults</c>, <c>total</c>), in rank order (here: key order) unless <c>jql</c> orders them,
/// with the Agile fields <c>sprint</c>, <c>closedSprints</c>, <c>flagged</c> and <c>epic</c> besides the navigable ones.
/// </summary>
internal static class AgileIssueEndpoints
{
    private const int DefaultMaxResults = 50;

    // jira.search.views.default.max, as for Data Center's search.
    private const int MaxResultsCap = 1000;

    public static IEndpointRouteBuilder MapAgileIssues(this IEndpointRouteBuilder app)
    {
        var agile = app.MapGroup("/rest/agile/1.0");
        agile.MapGet("/sprint/{sprintId}", (string sprintId, HttpRequest request) =>
            JiraJson.Ok(SprintRenderer.Sprint(FindSprint(sprintId), ApiContext.From(request, 2))));
        agile.MapGet("/sprint/{sprintId}/issue", (string sprintId, HttpRequest request, IssueStore store) =>
        {
            var sprint = FindSprint(sprintId);
            return IssuePage(store.Issues.Where(i => i.Sprints.Any(s => s.Id == sprint.Id)), request, store);
        });
        agile.MapGet("/epic/{epicIdOrKey}", (string epicIdOrKey, HttpRequest request) =>
            JiraJson.Ok(BoardRenderer.Epic(FindEpic(epicIdOrKey), ApiContext.From(request, 2))));
        agile.MapGet("/epic/{epicIdOrKey}/issue", (string epicIdOrKey, HttpRequest request, IssueStore store) =>
        {
            var epic = FindEpic(epicIdOrKey);
            return IssuePage(store.Issues.Where(i => i.Epic?.Id == epic.Id), request, store);
        });
        agile.MapGet("/issue/{issueIdOrKey}", GetIssue);
        return app;
    }

    private static IResult IssuePage(IEnumerable<SeedIssue> members, HttpRequest request, IssueStore store)
    {
        var query = SearchRequest.FromQuery(request.Query);
        var jql = JqlCompiler.Compile(JqlParser.Parse(query.Jql), store);
        var matches = members.Where(jql.Filter).Order(jql.Order).ToList();
        var paging = OffsetPage.From(query, DefaultMaxResults, MaxResultsCap);
        var fields = FieldSelection.Parse(query.Fields, FieldDefault.Navigable, agile: true);
        var api = ApiContext.From(request, 2);
        var options = Options(query);
        return JiraJson.Ok(new JsonObject
        {
            ["expand"] = "schema,names",
            ["startAt"] = paging.StartAt,
            ["maxResults"] = paging.MaxResults,
            ["total"] = matches.Count,
            ["issues"] = new JsonArray(paging.Take(matches).Select(i => (JsonNode?)IssueRenderer.Render(i, fields, api, store, options)).ToArray()),
        });
    }

    private static IResult GetIssue(string issueIdOrKey, HttpRequest request, IssueStore store)
    {
        var issue = IssueRequests.Find(store, issueIdOrKey);
        var query = SearchRequest.FromQuery(request.Query);
        var fields = FieldSelection.Parse(query.Fields, FieldDefault.All, agile: true);
        return JiraJson.Ok(IssueRenderer.Render(issue, fields, ApiContext.From(request, 2), store, Options(query)));
    }

    private static IssueRenderOptions Options(SearchRequest query) => new(
        ChangelogLimit: query.Expands("changelog") ? int.MaxValue : null,
        RenderedFields: query.Expands("renderedFields"),
        Agile: true);

    private static SeedSprint FindSprint(string sprintId) =>
        (long.TryParse(sprintId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? SprintCalendar.Find(id) : null)
        ?? throw new JiraRequestException(StatusCodes.Status404NotFound, "Sprint does not exist or you do not have permission to view it.");

    private static SeedEpic FindEpic(string epicIdOrKey) =>
        AgileCatalog.FindEpic(epicIdOrKey)
        ?? throw new JiraRequestException(StatusCodes.Status404NotFound, "Epic does not exist or you do not have permission to view it.");
}
