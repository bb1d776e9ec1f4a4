using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Faults;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// The site's workflow vocabulary a client reads before issues: <c>/issuetype</c>, <c>/status</c>, <c>/statuscategory</c>,
/// <c>/priority</c> and the paged <c>/priority/search</c>, in v2 and v3.
/// </summary>
internal static class CatalogEndpoints
{
    private const int DefaultMaxResults = 50;
    private const int MaxResultsCap = 100;

    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/issuetype", (HttpRequest request) =>
                List(JiraCatalog.IssueTypes, t => EntityRenderer.IssueType(t, ApiContext.From(request, version))));
            app.MapGet($"/rest/api/{version}/status", (HttpRequest request, FaultState faults) => faults.StatusList is { } hostile
                ? JiraJson.Ok(hostile.DeepClone())
                : List(JiraCatalog.Statuses, s => EntityRenderer.Status(s, ApiContext.From(request, version))));
            app.MapGet($"/rest/api/{version}/statuscategory", (HttpRequest request) =>
                List(JiraCatalog.StatusCategories, c => EntityRenderer.StatusCategory(c, ApiContext.From(request, version))));
            app.MapGet($"/rest/api/{version}/priority", (HttpRequest request) =>
                List(JiraCatalog.Priorities, p => Priority(p, ApiContext.From(request, version), withDefault: false)));
            app.MapGet($"/rest/api/{version}/priority/search", (HttpRequest request) => SearchPriorities(request, ApiContext.From(request, version)));
        }

        return app;
    }

    private static IResult List<T>(IEnumerable<T> items, Func<T, JsonObject> render) =>
        JiraJson.Ok(new JsonArray(items.Select(i => (JsonNode?)render(i)).ToArray()));

    /// <summary>Reads <c>startAt</c>, <c>maxResults</c>, <c>id</c> (repeatable) and <c>onlyDefault</c>.</summary>
    private static IResult SearchPriorities(HttpRequest request, ApiContext api)
    {
        var paging = OffsetPage.From(SearchRequest.FromQuery(request.Query), DefaultMaxResults, MaxResultsCap);
        var ids = request.Query["id"].OfType<string>().ToHashSet(StringComparer.Ordinal);
        var onlyDefault = string.Equals(request.Query["onlyDefault"].LastOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
        var priorities = JiraCatalog.Priorities
            .Where(p => ids.Count == 0 || ids.Contains(p.Id))
            .Where(p => !onlyDefault || p == JiraCatalog.DefaultPriority)
            .ToList();

        return JiraJson.Ok(PageBean.Render(request, $"{api.Api}/priority/search", paging, priorities, p => Priority(p, api, withDefault: true)));
    }

    /// <summary>The list adds description and colour to what an issue's field shows; only the search says which is default.</summary>
    private static JsonObject Priority(SeedPriority priority, ApiContext api, bool withDefault)
    {
        var json = EntityRenderer.Priority(priority, api);
        json["description"] = priority.Description;
        json["statusColor"] = priority.StatusColor;
        if (withDefault)
        {
            json["isDefault"] = priority == JiraCatalog.DefaultPriority;
        }

        return json;
    }
}
