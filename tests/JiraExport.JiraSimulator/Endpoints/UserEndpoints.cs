using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary><c>GET /rest/api/{2,3}/users/search</c> (every account, offset-paged) and <c>/user?accountId=</c>.</summary>
internal static class UserEndpoints
{
    private const int DefaultMaxResults = 50;
    private const int MaxResultsCap = 1000;

    /// <summary>The admin first, then the people issues are assigned to.</summary>
    private static readonly IReadOnlyList<SeedUser> Everyone = [JiraCatalog.Admin, .. JiraCatalog.Users];

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/users/search", (HttpRequest request, IOptions<JiraSimulatorOptions> options) =>
                Search(request, ApiContext.From(request, version), options.Value.UserSearchPageCap));
            app.MapGet($"/rest/api/{version}/user", (HttpRequest request) => Get(request, ApiContext.From(request, version)));
        }

        return app;
    }

    /// <summary>A bare array, not a page: a client pages until it gets fewer than it asked for.</summary>
    private static IResult Search(HttpRequest request, ApiContext api, int pageCap)
    {
        var paging = OffsetPage.From(SearchRequest.FromQuery(request.Query), DefaultMaxResults, Math.Min(MaxResultsCap, pageCap));
        return JiraJson.Ok(new JsonArray(paging.Take(Everyone).Select(u => (JsonNode?)EntityRenderer.User(u, api)).ToArray()));
    }

    /// <summary>Cloud finds people by <c>accountId</c>; v2 also by Data Center's <c>username</c> or <c>key</c>.</summary>
    private static IResult Get(HttpRequest request, ApiContext api)
    {
        var accountId = request.Query["accountId"].LastOrDefault();
        var username = request.Query["username"].LastOrDefault();
        var key = request.Query["key"].LastOrDefault();
        if (string.IsNullOrEmpty(accountId) && (api.Version == 3 || (string.IsNullOrEmpty(username) && string.IsNullOrEmpty(key))))
        {
            throw new JiraRequestException(StatusCodes.Status400BadRequest, "The accountId query parameter needs to be provided.");
        }

        var user = Everyone.FirstOrDefault(u => !string.IsNullOrEmpty(accountId) ? u.AccountId == accountId
                       : !string.IsNullOrEmpty(username) ? u.Name == username
                       : u.UserKey == key)
                   ?? throw new JiraRequestException(StatusCodes.Status404NotFound, "Specified user does not exist or you do not have required permissions");
        return JiraJson.Ok(EntityRenderer.User(user, api));
    }
}
