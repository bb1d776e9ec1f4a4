using System.Net.Http.Headers;
using JiraExport.JiraSimulator.Endpoints;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>
/// Atlassian's OAuth 2.0 (3LO) hosts, served from the simulator's own address: auth.atlassian.com's <c>/authorize</c> and
/// <c>/oauth/token</c>, api.atlassian.com's <c>/oauth/token/accessible-resources</c> (its <c>/ex/jira</c> is
/// <see cref="GatewayPathMiddleware"/>), and test controls under <c>/_simulator/oauth</c>.
/// </summary>
internal static class OAuthEndpoints
{
    public const string SiteName = "jira-simulator";

    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/authorize", AuthorizeEndpoint.Authorize);
        app.MapPost("/oauth/token", TokenEndpoint.ExchangeAsync);
        app.MapGet("/oauth/token/accessible-resources", AccessibleResources);

        var control = app.MapGroup("/_simulator/oauth");
        control.MapPost("/deny-next", DenyNext);
        control.MapGet("/stats", (OAuthStore store) => Results.Json(store.Stats(), JiraJson.Options));
        control.MapDelete("/stats", ResetStats);
        return app;
    }

    /// <summary>The one site, with the token's Jira scopes; 401 in the gateway's own shape without a live access token.</summary>
    private static IResult AccessibleResources(HttpRequest request, OAuthStore store, IOptionsMonitor<JiraSimulatorOptions> options)
    {
        var grant = AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
                    && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
                    && !string.IsNullOrEmpty(header.Parameter)
            ? store.FindAccessToken(header.Parameter)
            : null;
        if (grant is null)
        {
            return Results.Json(new { code = 401, message = "Unauthorized" }, JiraJson.Options, statusCode: StatusCodes.Status401Unauthorized);
        }

        // offline_access and the identity scopes (read:me) are not the site's; Atlassian's sample lists only Jira ones.
        var siteScopes = grant.Scopes.Where(s => s.Contains("jira", StringComparison.Ordinal)).ToArray();
        var siteUrl = ApiContext.From(request, 3).BaseUrl;
        AccessibleResource[] resources = siteScopes.Length == 0
            ? []
            : [new AccessibleResource(options.CurrentValue.CloudId, siteUrl, SiteName, siteScopes, $"{siteUrl}/images/site-avatar.png")];
        return Results.Json(resources, JiraJson.Options);
    }

    private static IResult DenyNext(OAuthStore store)
    {
        store.DenyNextConsent();
        return Results.NoContent();
    }

    private static IResult ResetStats(OAuthStore store)
    {
        store.ResetStats();
        return Results.NoContent();
    }
}

/// <summary>An entry of accessible-resources: <see cref="Id"/> is the cloud id for <c>/ex/jira/{cloudId}</c>.</summary>
internal sealed record AccessibleResource(string Id, string Url, string Name, IReadOnlyList<string> Scopes, string AvatarUrl);
