using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Data Center's <c>/rest/api/2/search</c> (offset paging with <c>total</c>), and Cloud's removed
/// <c>/rest/api/3/search</c>, which now answers 410 Gone.
/// </summary>
internal static class LegacySearchEndpoints
{
    private const int DefaultMaxResults = 50;

    // DC's jira.search.views.default.max.
    private const int MaxResultsCap = 1000;

    private const string RemovedMessage =
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

    public static IEndpointRouteBuilder MapLegacySearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/rest/api/2/search", (HttpRequest request, IssueStore store) =>
            Search(SearchRequest.FromQuery(request.Query), store, ApiContext.From(request, 2)));

        app.MapPost("/rest/api/2/search", async (HttpRequest request, IssueStore store, CancellationToken cancellationToken) =>
            Search(await SearchRequest.FromBodyAsync(request, allowedProperties: null, cancellationToken), store, ApiContext.From(request, 2)));

        app.MapMethods("/rest/api/3/search", [HttpMethods.Get, HttpMethods.Post], () =>
            JiraJson.Error(StatusCodes.Status410Gone, RemovedMessage));

        return app;
    }

    private static IResult Search(SearchRequest request, IssueStore store, ApiContext api)
    {
        // DC accepts an empty JQL: every issue the user can see.
        var matches = SearchQuery.Run(store, request.Jql, requireBounded: false);
        var fields = FieldSelection.Parse(request.Fields, FieldDefault.Navigable);
        var maxResults = Math.Clamp(request.MaxResults ?? DefaultMaxResults, 0, MaxResultsCap);
        var startAt = Math.Max(0, request.StartAt ?? 0);

        var page = matches.Skip(startAt).Take(maxResults);
        var options = new IssueRenderOptions(
            ChangelogLimit: request.Expands("changelog") ? int.MaxValue : null,
            RenderedFields: request.Expands("renderedFields"));
        return JiraJson.Ok(new JsonObject
        {
            ["expand"] = "schema,names",
            ["startAt"] = startAt,
            ["maxResults"] = maxResults,
            ["total"] = matches.Count,
            ["issues"] = new JsonArray(page.Select(i => (JsonNode?)IssueRenderer.Render(i, fields, api, store, options)).ToArray()),
        });
    }
}
