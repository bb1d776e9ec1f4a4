using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary><c>GET /rest/api/{2,3}/issue/{issueIdOrKey}/comment</c>: an issue's comments, paged by offset.</summary>
internal static class CommentEndpoints
{
    private const int DefaultMaxResults = 100;
    private const int MaxResultsCap = 5000;

    public static IEndpointRouteBuilder MapCommentEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/issue/{{issueIdOrKey}}/comment", (string issueIdOrKey, HttpRequest request, IssueStore store) =>
                GetComments(issueIdOrKey, request, store, ApiContext.From(request, version)));
        }

        return app;
    }

    /// <summary><c>orderBy</c> is <c>created</c>/<c>+created</c> (oldest first, the default) or <c>-created</c>; <c>expand=renderedBody</c> adds HTML.</summary>
    private static IResult GetComments(string issueIdOrKey, HttpRequest request, IssueStore store, ApiContext api)
    {
        var issue = IssueRequests.Find(store, issueIdOrKey);
        var query = SearchRequest.FromQuery(request.Query);
        var paging = OffsetPage.From(query, DefaultMaxResults, MaxResultsCap);
        var comments = request.Query["orderBy"].LastOrDefault() switch
        {
            null or "" or "created" or "+created" => issue.Comments,
            "-created" => issue.Comments.Reverse().ToList(),
            var other => throw new JiraRequestException(StatusCodes.Status400BadRequest, $"The orderBy value '{other}' is not supported: use created, +created or -created."),
        };

        return JiraJson.Ok(CommentRenderer.Page(issue, paging.Take(comments), paging.StartAt, paging.MaxResults, api, query.Expands("renderedBody")));
    }
}
