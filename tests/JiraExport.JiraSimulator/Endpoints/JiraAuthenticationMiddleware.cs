using System.Net.Http.Headers;
using System.Text;
using JiraExport.JiraSimulator.OAuth;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// Guards every <c>/rest</c> path: <c>Basic base64(email:apiToken)</c> as on Cloud, or <c>Bearer &lt;PAT&gt;</c> as on
/// Data Center. Through the gateway (<c>/ex/jira/{cloudId}/rest</c>) a Bearer token is an OAuth access token instead:
/// Cloud accepts those only via api.atlassian.com, never on the site, so a client that calls the site URL with one fails
/// here as it would there. Anything else gets Jira's 401 body and a challenge.
/// </summary>
internal sealed class JiraAuthenticationMiddleware(RequestDelegate next, IOptionsMonitor<JiraSimulatorOptions> options, OAuthStore oauth)
{
    private const string NotAuthenticated = "You are not authenticated. Authentication required to perform this operation.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/rest"))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (IsValid(header, options.CurrentValue, GatewayPathMiddleware.IsGatewayRequest(context)))
        {
            await next(context);
            return;
        }

        context.Response.Headers.Append("WWW-Authenticate", "Basic realm=\"protected-area\"");
        context.Response.Headers.Append("WWW-Authenticate", "Bearer realm=\"protected-area\"");
        context.Response.Headers["X-AUSERNAME"] = "anonymous";
        if (header.Length > 0)
        {
            // Jira's marker for "credentials were sent and rejected".
            context.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
        }

        await JiraJson.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, NotAuthenticated);
    }

    private bool IsValid(string header, JiraSimulatorOptions options, bool viaGateway)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter))
        {
            return false;
        }

        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return viaGateway
                ? oauth.FindAccessToken(value.Parameter) is not null
                : string.Equals(value.Parameter, options.BearerToken, StringComparison.Ordinal);
        }

        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
               && string.Equals(decoded[..colon], options.BasicEmail, StringComparison.OrdinalIgnoreCase)
               && string.Equals(decoded[(colon + 1)..], options.BasicApiToken, StringComparison.Ordinal);
    }
}
