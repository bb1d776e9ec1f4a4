using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Cloud's enhanced search (<c>/search/jql</c>, cursor paging, no total) and its approximate count.</summary>
internal static class CloudSearchEndpoints
{
    private const int DefaultMaxResults = 50;
    private const int MaxResultsWithFields = 100;
    private const int MaxResultsIdsOnly = 5000;

    // "With expand=changelog each issue carries at most 20 changelog items" (API-NOTES 2.1).
    private const int EmbeddedChangelogLimit = 20;

    // SearchAndReconcileRequestBean has additionalProperties:false.
    private static readonly HashSet<string> SearchProperties = new(StringComparer.Ordinal)
    {
        "jql", "nextPageToken", "maxResults", "fields", "expand", "properties", "fieldsByKeys", "reconcileIssues",
    };

    private static readonly HashSet<string> CountProperties = new(StringComparer.Ordinal) { "jql" };

    public static IEndpointRouteBuilder MapCloudSearch(this IEndpointRouteBuilder app)
    {
        // v3 renders ADF; Cloud's v2 twin renders the same issues with wiki markup.
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/search/jql", (HttpRequest request, IssueStore store) =>
                Search(SearchRequest.FromQuery(request.Query), store, ApiContext.From(request, version)));

            app.MapPost($"/rest/api/{version}/search/jql", async (HttpRequest request, IssueStore store, CancellationToken cancellationToken) =>
                Search(await SearchRequest.FromBodyAsync(request, SearchProperties, cancellationToken), store, ApiContext.From(request, version)));

            app.MapPost($"/rest/api/{version}/search/approximate-count", async (HttpRequest request, IssueStore store, CancellationToken cancellationToken) =>
            {
                var body = await SearchRequest.FromBodyAsync(request, CountProperties, cancellationToken);
                var count = SearchQuery.Run(store, body.Jql, requireBounded: true).Count;
                return JiraJson.Ok(new JsonObject { ["count"] = count });
            });
        }

        return app;
    }

    private static IResult Search(SearchRequest request, IssueStore store, ApiContext api)
    {
        var jql = request.Jql ?? string.Empty;
        var matches = SearchQuery.Run(store, jql, requireBounded: true);
        var fields = FieldSelection.Parse(request.Fields, FieldDefault.IdOnly);

        // Cloud silently caps the page; cheap id/key pages may be far larger than full ones.
        var cap = fields.IsIdOrKeyOnly ? MaxResultsIdsOnly : MaxResultsWithFields;
        var pageSize = Math.Clamp(request.MaxResults ?? DefaultMaxResults, 1, cap);
        var offset = string.IsNullOrEmpty(request.NextPageToken) ? 0 : PageToken.Read(request.NextPageToken, jql);
        if (offset > matches.Count)
        {
            throw new JiraRequestException(StatusCodes.Status400BadRequest, PageToken.InvalidMessage);
        }

        var page = matches.Skip(offset).Take(pageSize).ToList();
        var options = new IssueRenderOptions(
            BareIdWhenIdOnly: true,
            ChangelogLimit: request.Expands("changelog") ? EmbeddedChangelogLimit : null,
            RenderedFields: request.Expands("renderedFields"));
        var next = offset + page.Count;
        var isLast = next >= matches.Count;

        var body = new JsonObject
        {
            ["issues"] = new JsonArray(page.Select(i => (JsonNode?)IssueRenderer.Render(i, fields, api, store, options)).ToArray()),
        };
        if (!isLast)
        {
            body["nextPageToken"] = PageToken.Create(next, jql);
        }

        body["isLast"] = isLast;
        return JiraJson.Ok(body);
    }
}
