using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// <c>GET /rest/api/{2,3}/issue/{issueIdOrKey}/worklog</c> (oldest first, paged by offset, filtered by start time) and
/// <c>POST /rest/api/{2,3}/worklog/list</c> (worklogs by id).
/// </summary>
internal static class WorklogEndpoints
{
    private const int MaxResultsCap = 5000;
    private const int ListMaxIds = 1000;

    // WorklogIdsRequestBean has additionalProperties:false.
    private static readonly HashSet<string> ListProperties = new(StringComparer.Ordinal) { "ids" };

    public static IEndpointRouteBuilder MapWorklogEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/issue/{{issueIdOrKey}}/worklog", (string issueIdOrKey, HttpRequest request, IssueStore store) =>
                GetWorklogs(issueIdOrKey, request, store, ApiContext.From(request, version)));

            app.MapPost($"/rest/api/{version}/worklog/list", (HttpRequest request, IssueStore store, CancellationToken cancellationToken) =>
                ListWorklogsAsync(request, store, ApiContext.From(request, version), cancellationToken));
        }

        return app;
    }

    /// <summary><c>startedAfter</c> and <c>startedBefore</c> are epoch milliseconds; <c>total</c> counts what they keep.</summary>
    private static IResult GetWorklogs(string issueIdOrKey, HttpRequest request, IssueStore store, ApiContext api)
    {
        var issue = IssueRequests.Find(store, issueIdOrKey);
        var paging = OffsetPage.From(SearchRequest.FromQuery(request.Query), MaxResultsCap, MaxResultsCap);
        var after = EpochMs(request, "startedAfter");
        var before = EpochMs(request, "startedBefore");
        var kept = issue.Worklogs.Where(w => (after is null || w.Started >= after) && (before is null || w.Started < before)).ToList();
        return JiraJson.Ok(WorklogRenderer.Page(issue, paging.Take(kept), paging.StartAt, paging.MaxResults, kept.Count, api));
    }

    /// <summary>Body <c>{"ids":[…]}</c> (1–1000 worklog ids); unknown ids are left out, as Jira does.</summary>
    private static async Task<IResult> ListWorklogsAsync(HttpRequest request, IssueStore store, ApiContext api, CancellationToken cancellationToken)
    {
        using var document = await IssueRequests.ReadBodyAsync(request, ListProperties, cancellationToken);
        var ids = SearchRequest.Property(document.RootElement, "ids") is { ValueKind: JsonValueKind.Array } array
                  && array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out _))
            ? array.EnumerateArray().Select(e => e.GetInt64()).ToList()
            : throw JiraRequestException.InvalidPayload();

        if (ids.Count is 0 or > ListMaxIds)
        {
            throw new JiraRequestException(StatusCodes.Status400BadRequest, $"Provide between 1 and {ListMaxIds} worklog ids.");
        }

        var found = new JsonArray();
        foreach (var id in ids.Distinct())
        {
            // A worklog id is its issue's id followed by a two-digit position.
            var text = id.ToString(CultureInfo.InvariantCulture);
            if (text.Length > 2 && store.FindByKeyOrId(text[..^2]) is { } issue && issue.Worklogs.FirstOrDefault(w => w.Id == text) is { } worklog)
            {
                found.Add(WorklogRenderer.Worklog(issue, worklog, api));
            }
        }

        return JiraJson.Ok(found);
    }

    private static DateTimeOffset? EpochMs(HttpRequest request, string name)
    {
        var text = request.Query[name].LastOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new JiraRequestException(StatusCodes.Status400BadRequest, $"The value '{text}' of parameter '{name}' is not a valid number.");
    }
}
