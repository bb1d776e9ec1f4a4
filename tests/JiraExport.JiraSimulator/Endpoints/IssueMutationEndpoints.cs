using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Jql;
using JiraExport.JiraSimulator.Seed;
using JiraExport.JiraSimulator.Webhooks;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Test controls that change the site as its users would, so incremental sync and deletion can be tested:
/// <c>POST /_simulator/issues</c> (create), <c>POST /_simulator/issues/{key}/transition</c>,
/// <c>POST /_simulator/issues/{key}/edit</c>, <c>POST /_simulator/issues/touch</c> (edit many) and
/// <c>DELETE /_simulator/issues/{key}</c>. Every change stamps <c>updated</c> and appends a changelog entry, and is sent to
/// the site's webhooks (<see cref="WebhookDispatcher"/>).
/// </summary>
internal static class IssueMutationEndpoints
{
    public static IEndpointRouteBuilder MapIssueMutations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_simulator/issues");

        group.MapPost("/", async (HttpRequest request, IssueStore store, WebhookDispatcher webhooks, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var body = await ReadObjectAsync(request, cancellationToken);
            var project = JiraCatalog.Projects.FirstOrDefault(p => string.Equals(p.Key, Text(body, "project"), StringComparison.OrdinalIgnoreCase))
                          ?? throw Invalid("'project' must name one of the site's project keys.");
            var summary = Text(body, "summary") ?? throw Invalid("'summary' is required.");
            var now = Now(time);
            var issue = store.Create((id, number) => new SeedIssue(
                id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{project.Key}-{number}", number, project, JiraCatalog.Task,
                summary, [], JiraCatalog.ToDo, JiraCatalog.Priorities[2], null, JiraCatalog.Admin, now, now, [], null, []), project);
            webhooks.IssueChanged("jira:issue_created", issue, ApiContext.From(request, 2), store);
            return Results.Json(new JsonObject { ["id"] = issue.Id, ["key"] = issue.Key }, JiraJson.Options, statusCode: StatusCodes.Status201Created);
        });

        group.MapPost("/{key}/transition", async (string key, HttpRequest request, IssueStore store, WebhookDispatcher webhooks, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var body = await ReadObjectAsync(request, cancellationToken);
            var status = JiraCatalog.Statuses.FirstOrDefault(s => string.Equals(s.Name, Text(body, "status"), StringComparison.OrdinalIgnoreCase))
                         ?? throw Invalid($"'status' must be one of: {string.Join(", ", JiraCatalog.Statuses.Select(s => s.Name))}.");
            var now = Now(time);
            var changed = store.Update(key, issue => issue with
            {
                Status = status,
                Updated = now,
                Histories = [.. issue.Histories, new SeedHistory(store.NextHistoryId(), JiraCatalog.Admin, now, [HistoryGenerator.StatusChange(issue.Status, status)])],
            });
            return Answer(Updated(changed, request, store, webhooks), key);
        });

        group.MapPost("/{key}/edit", async (string key, HttpRequest request, IssueStore store, WebhookDispatcher webhooks, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var body = await ReadObjectAsync(request, cancellationToken);
            var summary = Text(body, "summary") ?? throw Invalid("'summary' is required.");
            var now = Now(time);
            return Answer(Updated(store.Update(key, issue => Edit(issue, summary, now, store)), request, store, webhooks), key);
        });

        group.MapPost("/touch", async (HttpRequest request, IssueStore store, WebhookDispatcher webhooks, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var body = await ReadObjectAsync(request, cancellationToken);
            var count = body["count"]?.GetValue<int>() ?? throw Invalid("'count' is required.");
            var query = JqlCompiler.Compile(JqlParser.Parse(Text(body, "jql")), store);
            var ids = store.Issues.Where(query.Filter).Take(count).Select(i => i.Id).ToList();
            var now = Now(time);
            var changed = store.UpdateMany(ids, issue => Edit(issue, issue.Summary + " (edited)", now, store));
            foreach (var issue in changed)
            {
                Updated(issue, request, store, webhooks);
            }

            return JiraJson.Ok(new JsonObject { ["updated"] = changed.Count });
        });

        group.MapDelete("/{key}", (string key, HttpRequest request, IssueStore store, WebhookDispatcher webhooks) =>
        {
            var issue = store.FindByKeyOrId(key);
            if (issue is null || !store.Delete(key))
            {
                return JiraJson.Error(StatusCodes.Status404NotFound, "Issue does not exist or you do not have permission to see it.");
            }

            webhooks.IssueChanged("jira:issue_deleted", issue, ApiContext.From(request, 2), store);
            return Results.NoContent();
        });

        return app;
    }

    private static SeedIssue Edit(SeedIssue issue, string summary, DateTimeOffset now, IssueStore store) => issue with
    {
        Summary = summary,
        Updated = now,
        Histories = [.. issue.Histories, new SeedHistory(store.NextHistoryId(), JiraCatalog.Admin, now,
            [new SeedChange("summary", "summary", "jira", null, issue.Summary, null, summary)])],
    };

    private static SeedIssue? Updated(SeedIssue? changed, HttpRequest request, IssueStore store, WebhookDispatcher webhooks)
    {
        if (changed is not null)
        {
            webhooks.IssueChanged("jira:issue_updated", changed, ApiContext.From(request, 2), store);
        }

        return changed;
    }

    private static IResult Answer(SeedIssue? changed, string key) => changed is null
        ? JiraJson.Error(StatusCodes.Status404NotFound, $"Issue {key} does not exist.")
        : JiraJson.Ok(new JsonObject { ["id"] = changed.Id, ["key"] = changed.Key, ["updated"] = JiraDates.Format(changed.Updated) });

    private static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow().ToOffset(JiraCatalog.SiteOffset);

    private static string? Text(JsonObject body, string name) => body[name]?.GetValue<string>();

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject ?? throw Invalid("The body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw Invalid("The body must be a JSON object.");
        }
    }

    private static JiraRequestException Invalid(string message) => new(StatusCodes.Status400BadRequest, message);
}
