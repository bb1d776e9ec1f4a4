using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The Jira webhook of a connection: its URL, a secret to sign deliveries with, and whether deliveries arrive.</summary>
public static partial class ConnectionsApi
{
    public static async Task<Results<Ok<JiraWebhookResponse>, ProblemHttpResult>> GetWebhook(
        Guid id, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var connection = await db.JiraConnections.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new
            {
                c.WebhookSecretProtected, c.LastWebhookAt, c.AuthType, c.DynamicWebhookId, c.DynamicWebhookExpiresAt, c.DynamicWebhookAttemptedAt,
                c.DynamicWebhookError,
            })
            .SingleOrDefaultAsync(cancellationToken);
        return connection is null
            ? NotFoundProblem(id)
            : TypedResults.Ok(new JiraWebhookResponse(JiraWebhooksApi.UrlFor(request, id), connection.WebhookSecretProtected is not null, connection.LastWebhookAt,
                connection.AuthType == JiraAuthType.OAuth
                    ? new DynamicJiraWebhookResponse(connection.DynamicWebhookId, connection.DynamicWebhookExpiresAt, connection.DynamicWebhookAttemptedAt,
                        connection.DynamicWebhookError)
                    : null));
    }

    /// <summary>Makes a new secret (the old one stops verifying at once) and answers it this once.</summary>
    public static async Task<Results<Ok<JiraWebhookSecretResponse>, ProblemHttpResult>> RotateWebhookSecret(
        Guid id, HttpRequest request, JiraExportDbContext db, JiraWebhookSecrets secrets, JiraWebhookTargets targets, CancellationToken cancellationToken)
    {
        var connection = await db.JiraConnections.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (connection is null)
        {
            return NotFoundProblem(id);
        }

        var secret = JiraWebhookSecrets.Create();
        connection.WebhookSecretProtected = secrets.Protect(connection.TenantId, secret);
        await db.SaveChangesAsync(cancellationToken);
        await db.AfterCommitAsync(token => targets.ForgetAsync(id, token), cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new JiraWebhookSecretResponse(JiraWebhooksApi.UrlFor(request, id), secret, JiraWebhookSecrets.SignatureHeader));
    }
}
