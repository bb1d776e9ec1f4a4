using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>
/// <c>GET /authorize</c> (auth.atlassian.com). There is no user to click "Accept", so a valid request is consented to at
/// once: 302 to <c>redirect_uri</c> with <c>code</c> and <c>state</c>. Errors go back the same way
/// (<c>error</c>, <c>error_description</c>, <c>state</c>) once the redirect_uri is known to be the app's; before that,
/// redirecting would make the simulator an open redirector, so the answer is a 400 page.
/// </summary>
internal static class AuthorizeEndpoint
{
    public const string Audience = "api.atlassian.com";

    public static IResult Authorize(HttpRequest request, OAuthStore store, IOptionsMonitor<JiraSimulatorOptions> options)
    {
        var query = request.Query;
        var client = OAuthClientOptions.Find(options.CurrentValue.OAuthClients, query["client_id"].ToString());
        if (client is null)
        {
            return ErrorPage("The client_id is not that of a registered app.");
        }

        var redirectUri = query["redirect_uri"].ToString();
        if (!client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return ErrorPage("The redirect_uri is not a callback URL registered for this app.");
        }

        var state = query.TryGetValue("state", out var stateValue) ? stateValue.ToString() : null;
        if (query["response_type"] != "code")
        {
            return Refuse(redirectUri, state, "unsupported_response_type", "response_type must be 'code'.");
        }

        if (query["audience"] != Audience)
        {
            return Refuse(redirectUri, state, "invalid_request", $"audience must be '{Audience}'.");
        }

        var scopes = OAuthScopes.Parse(query["scope"].ToString());
        var unknown = scopes.FirstOrDefault(s => !OAuthScopes.IsKnown(s));
        if (scopes.Count == 0 || unknown is not null)
        {
            return Refuse(redirectUri, state, "invalid_scope", unknown is null ? "scope is required." : $"Unknown scope: {unknown}");
        }

        if (store.TakeDenial())
        {
            return Refuse(redirectUri, state, "access_denied", "User did not authorize the request");
        }

        var code = store.IssueCode(client.ClientId, redirectUri, scopes);
        return Redirect(redirectUri, ("code", code), ("state", state));
    }

    private static IResult Refuse(string redirectUri, string? state, string error, string description) =>
        Redirect(redirectUri, ("error", error), ("error_description", description), ("state", state));

    private static IResult Redirect(string redirectUri, params (string Name, string? Value)[] parameters) =>
        Results.Redirect(QueryHelpers.AddQueryString(redirectUri,
            parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Name, p.Value))));

    private static IResult ErrorPage(string message) =>
        Results.Content(
            $"<!DOCTYPE html><html><head><title>Something went wrong</title></head><body><h1>Something went wrong</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>",
            "text/html; charset=utf-8",
            statusCode: StatusCodes.Status400BadRequest);
}
