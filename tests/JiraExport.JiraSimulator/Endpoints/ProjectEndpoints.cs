using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary><c>GET /rest/api/{2,3}/project/search</c> (paged, filtered) and <c>/project/{projectIdOrKey}</c>.</summary>
internal static class ProjectEndpoints
{
    private const int DefaultMaxResults = 50;
    private const int MaxResultsCap = 100;

    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/project/search", (HttpRequest request, IssueStore store) => Search(request, ApiContext.From(request, version), store));

            // Data Center lists every project at once (Cloud deprecated this for project/search).
            app.MapGet($"/rest/api/{version}/project", (HttpRequest request, IssueStore store) => JiraJson.Ok(new JsonArray(Existing(store)
                .Select(p => (JsonNode?)Render(p, ApiContext.From(request, version), description: false, lead: false)).ToArray())));
            app.MapGet($"/rest/api/{version}/project/{{projectIdOrKey}}", (string projectIdOrKey, HttpRequest request, IssueStore store) =>
                Get(projectIdOrKey, ApiContext.From(request, version), store));
        }

        return app;
    }

    /// <summary>
    /// Reads <c>keys</c> (repeated or comma-separated), <c>query</c> (key or name contains, any case),
    /// <c>orderBy</c> (<c>key</c>|<c>name</c>, optionally <c>+</c>/<c>-</c>) and <c>expand</c> (<c>description</c>, <c>lead</c>).
    /// </summary>
    /// <summary>The projects not deleted (through <c>DELETE /_simulator/projects/{key}</c>).</summary>
    private static IEnumerable<SeedProject> Existing(IssueStore store) => JiraCatalog.Projects.Where(p => !store.IsProjectDeleted(p.Key));

    private static IResult Search(HttpRequest request, ApiContext api, IssueStore store)
    {
        var query = SearchRequest.FromQuery(request.Query);
        var paging = OffsetPage.From(query, DefaultMaxResults, MaxResultsCap);
        var keys = request.Query["keys"].OfType<string>()
            .SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var text = request.Query["query"].LastOrDefault();

        var projects = Existing(store);
        if (keys.Count > 0)
        {
            projects = projects.Where(p => keys.Contains(p.Key));
        }

        if (!string.IsNullOrEmpty(text))
        {
            projects = projects.Where(p => p.Key.Contains(text, StringComparison.OrdinalIgnoreCase) || p.Name.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        var ordered = Order(projects, request.Query["orderBy"].LastOrDefault());
        return JiraJson.Ok(PageBean.Render(request, $"{api.Api}/project/search", paging, ordered,
            p => Render(p, api, query.Expands("description"), query.Expands("lead"))));
    }

    /// <summary>A single project comes with its description, lead and issue types, as Jira sends them unasked.</summary>
    private static IResult Get(string projectIdOrKey, ApiContext api, IssueStore store)
    {
        var project = Existing(store).FirstOrDefault(p => p.Id == projectIdOrKey || string.Equals(p.Key, projectIdOrKey, StringComparison.OrdinalIgnoreCase))
                      ?? throw new JiraRequestException(StatusCodes.Status404NotFound, $"No project could be found with key '{projectIdOrKey}'.");

        var json = Render(project, api, description: true, lead: true);
        json["issueTypes"] = new JsonArray(JiraCatalog.IssueTypes.Select(t => (JsonNode?)EntityRenderer.IssueType(t, api)).ToArray());
        json["assigneeType"] = "UNASSIGNED";
        return JiraJson.Ok(json);
    }

    private static List<SeedProject> Order(IEnumerable<SeedProject> projects, string? orderBy) => orderBy switch
    {
        null or "" or "key" or "+key" => [.. projects.OrderBy(p => p.Key, StringComparer.Ordinal)],
        "-key" => [.. projects.OrderByDescending(p => p.Key, StringComparer.Ordinal)],
        "name" or "+name" => [.. projects.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)],
        "-name" => [.. projects.OrderByDescending(p => p.Name, StringComparer.OrdinalIgnoreCase)],
        _ => throw new JiraRequestException(StatusCodes.Status400BadRequest, $"The orderBy value '{orderBy}' is not supported: use key or name, optionally with + or -."),
    };

    private static JsonObject Render(SeedProject project, ApiContext api, bool description, bool lead)
    {
        var json = EntityRenderer.Project(project, api);
        if (description)
        {
            json["description"] = $"{project.Name}: issues of the {project.Key} team.";
        }

        if (lead)
        {
            json["lead"] = EntityRenderer.User(JiraCatalog.Admin, api);
        }

        return json;
    }
}
