using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;
using JiraExport.JiraSimulator.Webhooks;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Versions as Jira serves them (<c>GET /rest/api/{2,3}/version/{id}</c>), and test controls that change versions and
/// projects as an administrator would, each sent to the site's webhooks: <c>POST /_simulator/versions/{id}</c>
/// <c>{"name"?, "released"?}</c> (<c>jira:version_updated</c>, <c>_released</c> or <c>_unreleased</c>),
/// <c>DELETE /_simulator/versions/{id}</c> (<c>jira:version_deleted</c>) and <c>DELETE /_simulator/projects/{key}</c>
/// (<c>project_deleted</c>, its issues gone with it). As in Jira, none of these changes an issue's <c>updated</c>.
/// </summary>
internal static class SiteMutationEndpoints
{
    public static IEndpointRouteBuilder MapSiteMutations(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/version/{{id}}", (string id, HttpRequest request, IssueStore store) => store.Version(id) is { } found
                ? JiraJson.Ok(EntityRenderer.Version(found, ApiContext.From(request, version)))
                : JiraJson.Error(StatusCodes.Status404NotFound, $"Could not find version for id '{id}'."));
        }

        app.MapPost("/_simulator/versions/{id}", async (string id, HttpRequest request, IssueStore store, WebhookDispatcher webhooks, CancellationToken cancellationToken) =>
        {
            JsonObject body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                       ?? throw new JiraRequestException(StatusCodes.Status400BadRequest, "The body must be a JSON object.");
            }
            catch (JsonException)
            {
                throw new JiraRequestException(StatusCodes.Status400BadRequest, "The body must be a JSON object.");
            }

            var before = store.Version(id);
            var changed = store.UpdateVersion(id, v => v with
            {
                Name = body["name"]?.GetValue<string>() ?? v.Name,
                Released = body["released"]?.GetValue<bool>() ?? v.Released,
            });
            if (before is null || changed is null)
            {
                return JiraJson.Error(StatusCodes.Status404NotFound, $"Could not find version for id '{id}'.");
            }

            var webhookEvent = changed.Released == before.Released ? "jira:version_updated"
                : changed.Released ? "jira:version_released" : "jira:version_unreleased";
            webhooks.SiteChanged(webhookEvent, "version", VersionPayload(changed, request));
            return JiraJson.Ok(EntityRenderer.Version(changed, ApiContext.From(request, 3)));
        });

        app.MapDelete("/_simulator/versions/{id}", (string id, HttpRequest request, IssueStore store, WebhookDispatcher webhooks) =>
        {
            if (store.DeleteVersion(id) is not { } deleted)
            {
                return JiraJson.Error(StatusCodes.Status404NotFound, $"Could not find version for id '{id}'.");
            }

            webhooks.SiteChanged("jira:version_deleted", "version", VersionPayload(deleted, request));
            return Results.NoContent();
        });

        app.MapDelete("/_simulator/projects/{key}", (string key, HttpRequest request, IssueStore store, WebhookDispatcher webhooks) =>
        {
            if (store.DeleteProject(key) is not { } deleted)
            {
                return JiraJson.Error(StatusCodes.Status404NotFound, $"No project could be found with key '{key}'.");
            }

            var project = EntityRenderer.Project(deleted, ApiContext.From(request, 2));
            project["projectLead"] = EntityRenderer.User(JiraCatalog.Admin, ApiContext.From(request, 2));
            project["assigneeType"] = "admin.assignee.type.unassigned";
            webhooks.SiteChanged("project_deleted", "project", project);
            return Results.NoContent();
        });

        return app;
    }

    /// <summary>Jira's webhook version: the v2 rendering with the project's id.</summary>
    private static JsonObject VersionPayload(SeedVersion version, HttpRequest request)
    {
        var json = EntityRenderer.Version(version, ApiContext.From(request, 2));
        json["projectId"] = long.Parse(version.ProjectId, System.Globalization.CultureInfo.InvariantCulture);
        return json;
    }
}
