using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Reading issues one at a time or in bulk, their changelogs (paged per issue, or in bulk across issues), and the
/// site's fields — what a sync needs beyond search.
/// </summary>
internal static class IssueEndpoints
{
    private const int BulkFetchMaxIssues = 100;
    private const int BulkFetchChangelogLimit = 40;
    private const int ChangelogPageMax = 100;
    private const int BulkChangelogMaxIssues = 1000;
    private const int BulkChangelogDefaultResults = 1000;
    private const int BulkChangelogMaxResults = 10000;

    private static readonly HashSet<string> BulkFetchProperties = new(StringComparer.Ordinal)
    {
        "issueIdsOrKeys", "fields", "expand", "properties", "fieldsByKeys",
    };

    private static readonly HashSet<string> BulkChangelogProperties = new(StringComparer.Ordinal)
    {
        "issueIdsOrKeys", "fieldIds", "maxResults", "nextPageToken",
    };

    public static IEndpointRouteBuilder MapIssueEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/issue/{{issueIdOrKey}}", (string issueIdOrKey, HttpRequest request, IssueStore store) =>
            {
                var issue = IssueRequests.Find(store, issueIdOrKey);
                var query = SearchRequest.FromQuery(request.Query);
                var options = new IssueRenderOptions(
                    ChangelogLimit: query.Expands("changelog") ? BulkFetchChangelogLimit : null,
                    RenderedFields: query.Expands("renderedFields"));
                return JiraJson.Ok(IssueRenderer.Render(issue, FieldSelection.Parse(query.Fields, FieldDefault.All), ApiContext.From(request, version), store, options));
            });

            app.MapPost($"/rest/api/{version}/issue/bulkfetch", async (HttpRequest request, IssueStore store, CancellationToken cancellationToken) =>
            {
                using var document = await IssueRequests.ReadBodyAsync(request, BulkFetchProperties, cancellationToken);
                var root = document.RootElement;
                var wanted = SearchRequest.ReadStrings(root, "issueIdsOrKeys") ?? [];
                if (wanted.Count is 0 or > BulkFetchMaxIssues)
                {
                    throw new JiraRequestException(StatusCodes.Status400BadRequest, $"Provide between 1 and {BulkFetchMaxIssues} issue ids or keys.");
                }

                var fields = FieldSelection.Parse(SearchRequest.ReadStrings(root, "fields"), FieldDefault.Navigable);
                var expand = SearchRequest.ReadStrings(root, "expand") ?? [];
                var options = new IssueRenderOptions(
                    ChangelogLimit: expand.Contains("changelog", StringComparer.OrdinalIgnoreCase) ? BulkFetchChangelogLimit : null,
                    RenderedFields: expand.Contains("renderedFields", StringComparer.OrdinalIgnoreCase));
                var api = ApiContext.From(request, version);

                // Found issues in ascending id order; unknown ones are left out, as Jira does.
                var issues = wanted.Select(store.FindByKeyOrId).OfType<SeedIssue>().DistinctBy(i => i.Id)
                    .OrderBy(i => int.Parse(i.Id, System.Globalization.CultureInfo.InvariantCulture));
                return JiraJson.Ok(new JsonObject
                {
                    ["expand"] = "schema,names",
                    ["issues"] = new JsonArray(issues.Select(i => (JsonNode?)IssueRenderer.Render(i, fields, api, store, options)).ToArray()),
                    ["issueErrors"] = new JsonArray(),
                });
            });

            app.MapGet($"/rest/api/{version}/issue/{{issueIdOrKey}}/changelog", (string issueIdOrKey, HttpRequest request, IssueStore store) =>
            {
                var issue = IssueRequests.Find(store, issueIdOrKey);
                var query = SearchRequest.FromQuery(request.Query);
                var startAt = Math.Max(0, query.StartAt ?? 0);
                var maxResults = Math.Clamp(query.MaxResults ?? ChangelogPageMax, 1, ChangelogPageMax);
                var api = ApiContext.From(request, version);
                var page = issue.Histories.Skip(startAt).Take(maxResults).ToList();
                var isLast = startAt + page.Count >= issue.Histories.Count;
                var self = $"{api.Api}/issue/{issue.Key}/changelog";
                var body = new JsonObject
                {
                    ["self"] = $"{self}?maxResults={maxResults}&startAt={startAt}",
                    ["maxResults"] = maxResults,
                    ["startAt"] = startAt,
                    ["total"] = issue.Histories.Count,
                    ["isLast"] = isLast,
                    ["values"] = new JsonArray(page.Select(h => (JsonNode?)ChangelogRenderer.History(h, api)).ToArray()),
                };
                if (!isLast)
                {
                    body["nextPage"] = $"{self}?maxResults={maxResults}&startAt={startAt + page.Count}";
                }

                return JiraJson.Ok(body);
            });

            app.MapPost($"/rest/api/{version}/changelog/bulkfetch", async (HttpRequest request, IssueStore store, CancellationToken cancellationToken) =>
                JiraJson.Ok(await BulkChangelogAsync(request, store, ApiContext.From(request, version), cancellationToken)));

            app.MapGet($"/rest/api/{version}/field", () => JiraJson.Ok(FieldCatalog.Render()));
        }

        return app;
    }

    /// <summary>
    /// Histories of many issues, oldest first by date then issue id, <c>maxResults</c> histories a page; a page groups
    /// consecutive histories of one issue into one <c>IssueChangeLog</c>.
    /// </summary>
    private static async Task<JsonObject> BulkChangelogAsync(HttpRequest request, IssueStore store, ApiContext api, CancellationToken cancellationToken)
    {
        using var document = await IssueRequests.ReadBodyAsync(request, BulkChangelogProperties, cancellationToken);
        var root = document.RootElement;
        var wanted = SearchRequest.ReadStrings(root, "issueIdsOrKeys") ?? [];
        if (wanted.Count is 0 or > BulkChangelogMaxIssues)
        {
            throw new JiraRequestException(StatusCodes.Status400BadRequest, $"issueIdsOrKeys must hold between 1 and {BulkChangelogMaxIssues} values.");
        }

        var fieldIds = (SearchRequest.ReadStrings(root, "fieldIds") ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var maxResults = Math.Clamp(SearchRequest.ReadInt(root, "maxResults") ?? BulkChangelogDefaultResults, 1, BulkChangelogMaxResults);
        var tokenScope = string.Join(',', wanted) + "|" + string.Join(',', fieldIds.Order(StringComparer.Ordinal));
        var offset = SearchRequest.ReadString(root, "nextPageToken") is { Length: > 0 } token ? PageToken.Read(token, tokenScope) : 0;

        var all = wanted.Select(store.FindByKeyOrId).OfType<SeedIssue>().DistinctBy(i => i.Id)
            .SelectMany(issue => issue.Histories
                .Where(h => fieldIds.Count == 0 || h.Items.Any(item => fieldIds.Contains(item.FieldId ?? item.Field)))
                .Select(h => (Issue: issue, History: h)))
            .OrderBy(e => e.History.Created).ThenBy(e => int.Parse(e.Issue.Id, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var page = all.Skip(offset).Take(maxResults).ToList();

        var groups = new JsonArray();
        foreach (var run in Runs(page))
        {
            groups.Add(new JsonObject
            {
                ["issueId"] = run[0].Issue.Id,
                ["changeHistories"] = new JsonArray(run.Select(e => (JsonNode?)ChangelogRenderer.History(e.History, api)).ToArray()),
            });
        }

        var body = new JsonObject { ["issueChangeLogs"] = groups };
        if (offset + page.Count < all.Count)
        {
            body["nextPageToken"] = PageToken.Create(offset + page.Count, tokenScope);
        }

        return body;
    }

    private static IEnumerable<List<(SeedIssue Issue, SeedHistory History)>> Runs(List<(SeedIssue Issue, SeedHistory History)> entries)
    {
        var run = new List<(SeedIssue Issue, SeedHistory History)>();
        foreach (var entry in entries)
        {
            if (run.Count > 0 && run[0].Issue.Id != entry.Issue.Id)
            {
                yield return run;
                run = [];
            }

            run.Add(entry);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
