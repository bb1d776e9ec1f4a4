using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Offset paging as the Agile API and the per-issue lists do it: <c>startAt</c> (negative reads as 0) and
/// <c>maxResults</c> (silently capped; the answer echoes what was used).
/// </summary>
internal sealed record OffsetPage(int StartAt, int MaxResults)
{
    public static OffsetPage From(SearchRequest query, int defaultMaxResults, int maxResultsCap) =>
        new(Math.Max(0, query.StartAt ?? 0), Math.Clamp(query.MaxResults ?? defaultMaxResults, 0, maxResultsCap));

    public List<T> Take<T>(IEnumerable<T> all) => [.. all.Skip(StartAt).Take(MaxResults)];

    /// <summary>The Agile API's <c>{maxResults, startAt, total?, isLast, values}</c>.</summary>
    /// <param name="withTotal">Boards carry a total; Cloud's sprint and epic pages do not (page on isLast).</param>
    public JsonObject Values<T>(IReadOnlyList<T> all, Func<T, JsonNode> render, bool withTotal)
    {
        var page = Take(all);
        var json = new JsonObject { ["maxResults"] = MaxResults, ["startAt"] = StartAt };
        if (withTotal)
        {
            json["total"] = all.Count;
        }

        json["isLast"] = StartAt + page.Count >= all.Count;
        json["values"] = new JsonArray(page.Select(v => (JsonNode?)render(v)).ToArray());
        return json;
    }
}
