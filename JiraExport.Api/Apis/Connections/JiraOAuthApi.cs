using JiraExport.Api.Audit;
using JiraExport.Core.Audit;
using JiraExport.Core.Identity;
using JiraExport.Api.Contracts;
using JiraExport.Api.JiraOAuth;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Apis;

/// <summary>
/// Connecting a Jira Cloud site over OAuth 2.0 (3LO): <c>start</c> answers the URL to send the browser to, Atlassian
/// sends it back to <c>callback</c> with a code, which becomes a connection through <c>api.atlassian.com/ex/jira/{cloudId}</c>.
/// </summary>
public static class JiraOAuthApi
{
    /// <summary>The structural rules of <see cref="StartJiraOAuthRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(StartJiraOAuthRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (request.SiteUrl is not null && !Uri.TryCreate(request.SiteUrl, UriKind.Absolute, out _))
        {
            errors["siteUrl"] = ["The site must be an absolute URL, e.g. https://acme.atlassian.net."];
        }

        return errors;
    }

    public static Results<Ok<StartJiraOAuthResponse>, ProblemHttpResult> Start(
        StartJiraOAuthRequest request, TenantContext tenant, JiraOAuthStates states, JiraOAuthClient oauth, IOptions<JiraOAuthOptions> options,
        HttpContext http, TimeProvider timeProvider)
    {
        if (!options.Value.Enabled)
        {
            return TypedResults.Problem(title: "OAuth is not set up", statusCode: StatusCodes.Status400BadRequest,
                detail: "This deployment has no Atlassian OAuth app configured (JiraOAuth section); connect with an API token or a personal access token.");
        }

        var actor = http.User.GetPrincipal()!.Value;
        var state = JiraOAuthStates.Create(tenant.TenantId!.Value, request.Name!.Trim(), request.SiteUrl?.TrimEnd('/'), actor.Kind, actor.Id);
        http.Response.Cookies.Append(JiraOAuthStates.CookieName, state.BrowserBinding, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = JiraOAuthStates.CookiePath,
            MaxAge = options.Value.StateLifetime,
        });
        return TypedResults.Ok(new StartJiraOAuthResponse(oauth.AuthorizeUri(states.Protect(state)), timeProvider.GetUtcNow() + options.Value.StateLifetime));
    }

    public static async Task<Results<Created<ConnectionResponse>, ProblemHttpResult>> Callback(
        string? code, string? state, string? error, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "error_description")] string? errorDescription,
        HttpContext http, JiraOAuthStates states, JiraOAuthClient oauth, JiraExportDbContext db, TenantContext tenantContext,
        JiraCredentialProtector protector, TenantQuotas quotas, AuditTrail trail, IOptions<JiraOAuthOptions> options, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var started = states.Unprotect(state, http.Request.Cookies[JiraOAuthStates.CookieName]);
        http.Response.Cookies.Delete(JiraOAuthStates.CookieName, new CookieOptions { Path = JiraOAuthStates.CookiePath });
        if (started is null)
        {
            return Refused("This authorization has expired or was started in another browser; start connecting the site again.");
        }

        if (error is not null || string.IsNullOrEmpty(code))
        {
            return Refused($"Atlassian did not authorize the connection ({error ?? "no code"}{(errorDescription is null ? string.Empty : $": {errorDescription}")}).");
        }

        tenantContext.Set(started.TenantId);
        JiraOAuthClient.TokenGrant grant;
        JiraAccessibleResource? site;
        try
        {
            grant = await oauth.ExchangeCodeAsync(code, cancellationToken);
            var sites = await oauth.GetAccessibleResourcesAsync(grant.AccessToken, cancellationToken);
            site = started.SiteUrl is { } wanted
                ? sites.FirstOrDefault(s => string.Equals(s.Url.TrimEnd('/'), wanted, StringComparison.OrdinalIgnoreCase))
                : sites.Count == 1 ? sites[0] : null;
            if (site is null)
            {
                return Refused(started.SiteUrl is null
                    ? $"The authorization reaches {sites.Count} sites ({string.Join(", ", sites.Select(s => s.Url))}); start again naming siteUrl."
                    : $"The authorization does not reach {started.SiteUrl}; it reaches {string.Join(", ", sites.Select(s => s.Url))}.");
            }
        }
        catch (JiraException ex)
        {
            return TypedResults.Problem(title: "Connecting the Jira site failed", detail: ex.Message,
                statusCode: ex.Kind == JiraFailureKind.Unavailable ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Tenants.Select(t => t.Status).SingleOrDefaultAsync(cancellationToken) != TenantStatus.Active)
        {
            return TypedResults.Problem(title: "Tenant not active", detail: "This tenant is suspended or being deleted; it cannot connect Jira sites.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        if (await quotas.CheckNewConnectionAsync(cancellationToken) is { } overQuota)
        {
            return overQuota;
        }

        var connection = new JiraConnection
        {
            Id = Guid.CreateVersion7(),
            TenantId = started.TenantId,
            Name = started.Name,
            BaseUrl = $"{options.Value.GatewayBaseUrl.TrimEnd('/')}/ex/jira/{site.Id}",
            Deployment = JiraDeployment.Cloud,
            AuthType = JiraAuthType.OAuth,
            EncryptedCredential = protector.Protect(started.TenantId,
                new OAuthJiraCredentials(grant.AccessToken, grant.ExpiresAt, grant.RefreshToken, site.Id, site.Url, grant.Scope)),
            CreatedAt = timeProvider.GetUtcNow(),
        };
        db.JiraConnections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        // Anonymous by its nature (Atlassian sends the browser), so the trail names who started connecting.
        await trail.AppendRequestAsync(http, started.ActorKind, started.ActorId, StatusCodes.Status201Created, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/connections/{connection.Id}", ConnectionsApi.ToResponse(connection));
    }

    private static ProblemHttpResult Refused(string detail) =>
        TypedResults.Problem(title: "Connecting the Jira site failed", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
