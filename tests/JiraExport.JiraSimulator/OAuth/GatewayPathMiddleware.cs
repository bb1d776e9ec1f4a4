using JiraExport.JiraSimulator.Endpoints;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>
/// api.atlassian.com's gateway: <c>/ex/jira/{cloudId}/rest/...</c> becomes the site's <c>/rest/...</c>, with the prefix
/// moved into <c>PathBase</c> so <c>self</c> links point back through the gateway as on Cloud. Another cloud id, or a path
/// that is not <c>/rest</c>, is 404. Runs before routing, faults and authentication, so all of them see the site path.
/// </summary>
internal sealed class GatewayPathMiddleware(RequestDelegate next, IOptionsMonitor<JiraSimulatorOptions> options)
{
    private static readonly PathString Prefix = new("/ex/jira");
    private static readonly object GatewayKey = new();

    /// <summary>Whether the request came in through <c>/ex/jira/{cloudId}</c>.</summary>
    public static bool IsGatewayRequest(HttpContext context) => context.Items.ContainsKey(GatewayKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Prefix, out var rest))
        {
            return next(context);
        }

        // rest is "" or "/{cloudId}" or "/{cloudId}/rest/...".
        var value = rest.Value is { Length: > 0 } v ? v : "/";
        var end = value.IndexOf('/', 1);
        var cloudId = end < 0 ? value[1..] : value[1..end];
        var sitePath = new PathString(end < 0 ? null : value[end..]);
        if (!string.Equals(cloudId, options.CurrentValue.CloudId, StringComparison.OrdinalIgnoreCase) || !sitePath.StartsWithSegments("/rest"))
        {
            return JiraJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, "No Jira site is known by this cloud id.");
        }

        context.Request.PathBase = context.Request.PathBase.Add(Prefix).Add(new PathString("/" + cloudId));
        context.Request.Path = sitePath;
        context.Items[GatewayKey] = true;
        return next(context);
    }
}
