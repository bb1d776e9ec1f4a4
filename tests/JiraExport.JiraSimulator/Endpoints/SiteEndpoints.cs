using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary><c>/myself</c> (the "test connection" call) and <c>/serverInfo</c>, in v2 and v3.</summary>
internal static class SiteEndpoints
{
    public static IEndpointRouteBuilder MapSiteEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var version in new[] { 2, 3 })
        {
            app.MapGet($"/rest/api/{version}/myself", (HttpRequest request, IOptions<JiraSimulatorOptions> options) =>
                JiraJson.Ok(Myself(ApiContext.From(request, version), options.Value)));

            app.MapGet($"/rest/api/{version}/serverInfo", (HttpRequest request, TimeProvider time) =>
                JiraJson.Ok(ServerInfo(ApiContext.From(request, version), time)));
        }

        return app;
    }

    private static JsonObject Myself(ApiContext api, JiraSimulatorOptions options)
    {
        var admin = JiraCatalog.Admin with { EmailAddress = options.BasicEmail };
        var user = EntityRenderer.User(admin, api);
        user["locale"] = "en_US";
        user["groups"] = new JsonObject { ["size"] = 3, ["items"] = new JsonArray() };
        user["applicationRoles"] = new JsonObject { ["size"] = 1, ["items"] = new JsonArray() };
        user["expand"] = "groups,applicationRoles";
        return user;
    }

    private static JsonObject ServerInfo(ApiContext api, TimeProvider time) => new()
    {
        ["baseUrl"] = api.BaseUrl,
        ["displayUrl"] = api.BaseUrl,
        ["version"] = "1001.0.0-SNAPSHOT",
        ["versionNumbers"] = new JsonArray(1001, 0, 0),
        ["deploymentType"] = "Cloud",
        ["buildNumber"] = 100284,
        ["buildDate"] = "2026-11-20T00:00:00.000+0000",
        ["serverTime"] = JiraDates.Format(time.GetUtcNow().ToOffset(JiraCatalog.SiteOffset)),
        ["scmInfo"] = "57a0ca5b4a0bb0ac5f3fee4764acb1c14e4d7e71",
        ["serverTitle"] = "Jira Simulator",
        ["defaultLocale"] = new JsonObject { ["locale"] = "en_US" },
        ["serverTimeZone"] = "Europe/Moscow",
    };
}
