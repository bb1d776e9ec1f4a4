using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Extensions;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// The platform API's <c>PageBean…</c>: <c>{self, nextPage?, maxResults, startAt, total, isLast, values}</c>.
/// <c>self</c> and <c>nextPage</c> keep the request's other parameters, so following <c>nextPage</c> keeps the filters.
/// </summary>
internal static class PageBean
{
    public static JsonObject Render<T>(HttpRequest request, string path, OffsetPage paging, IReadOnlyList<T> all, Func<T, JsonNode> render)
    {
        var page = paging.Take(all);
        var isLast = paging.StartAt + page.Count >= all.Count;
        var json = new JsonObject { ["self"] = Link(request, path, paging.StartAt, paging.MaxResults) };
        if (!isLast)
        {
            json["nextPage"] = Link(request, path, paging.StartAt + page.Count, paging.MaxResults);
        }

        json["maxResults"] = paging.MaxResults;
        json["startAt"] = paging.StartAt;
        json["total"] = all.Count;
        json["isLast"] = isLast;
        json["values"] = new JsonArray(page.Select(v => (JsonNode?)render(v)).ToArray());
        return json;
    }

    private static string Link(HttpRequest request, string path, int startAt, int maxResults)
    {
        var query = new QueryBuilder { { "startAt", startAt.ToString(System.Globalization.CultureInfo.InvariantCulture) }, { "maxResults", maxResults.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        foreach (var (name, values) in request.Query.Where(p => p.Key is not ("startAt" or "maxResults")))
        {
            query.Add(name, values.OfType<string>());
        }

        return path + query.ToQueryString();
    }
}
