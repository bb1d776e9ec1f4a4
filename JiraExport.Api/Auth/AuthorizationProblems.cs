using JiraExport.Core.Identity;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace JiraExport.Api.Auth;

/// <summary>
/// A refused request learns what to send: a 401 names the credentials the Api takes, a 403 the scope the operation needs
/// and the ones the credential has. The schemes still challenge and forbid first (WWW-Authenticate stays).
/// </summary>
internal sealed class AuthorizationProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            await ChallengeAsync(context, policy);
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required",
                $"Send an access token as 'Authorization: Bearer <token>' (POST /api/v1/auth/token) or an API key as '{ApiKeyAuthenticationHandler.HeaderName}: <key>'. " +
                "A token that expired, was revoked or belongs to an ended session counts as none.");
        }
        else if (authorizeResult.Forbidden)
        {
            await ForbidAsync(context, policy);
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed", DescribeRefusal(context));
        }
        else
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }

    private static string DescribeRefusal(HttpContext context)
    {
        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList() ?? [];
        var missing = Scopes.All.Where(policies.Contains).Where(scope => !context.User.HasScope(scope)).ToList();
        if (missing.Count > 0)
        {
            var held = context.User.FindAll(JiraExportClaims.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            return $"This operation needs the scope '{string.Join("' and '", missing)}'; the credential has " +
                   (held.Count == 0 ? "none." : $"'{string.Join("', '", held)}'.") +
                   " Use an API key created with that scope, or a person whose role grants it.";
        }

        return policies.Contains(AuthenticationExtensions.UserSessionPolicy)
            ? "This operation acts on a person's own session: call it with that person's access token, not an API key."
            : "The credential does not act for a tenant that may do this.";
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static Task ChallengeAsync(HttpContext context, AuthorizationPolicy policy) =>
        ForEachSchemeAsync(policy, scheme => context.ChallengeAsync(scheme));

    private static Task ForbidAsync(HttpContext context, AuthorizationPolicy policy) =>
        ForEachSchemeAsync(policy, scheme => context.ForbidAsync(scheme));

    /// <summary>As the default handler does: each of the policy's schemes, or the default scheme (null) when it names none.</summary>
    private static async Task ForEachSchemeAsync(AuthorizationPolicy policy, Func<string?, Task> act)
    {
        if (policy.AuthenticationSchemes.Count == 0)
        {
            await act(null);
            return;
        }

        foreach (var scheme in policy.AuthenticationSchemes)
        {
            await act(scheme);
        }
    }
}
