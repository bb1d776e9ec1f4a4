using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>
/// Turns a stored connection into a <see cref="JiraSite"/> ready to call: for an OAuth connection whose access token
/// is about to expire, first refreshes it — under a row lock on the connection, so one refresher runs per grant
/// (concurrent refreshes would kill each other's rotating refresh tokens), and a caller that waited uses the tokens
/// the first one stored.
/// </summary>
public sealed class JiraSiteResolver(
    JiraExportDbContext db,
    JiraCredentialProtector protector,
    JiraOAuthClient oauth,
    IOptions<JiraOAuthOptions> options,
    TimeProvider timeProvider)
{
    public async Task<JiraSite> ResolveAsync(JiraConnection connection, CancellationToken cancellationToken)
    {
        var site = protector.ToSite(connection);
        if (site.Credentials is not OAuthJiraCredentials grant || !IsExpiring(grant))
        {
            return site;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.JiraConnections
            .FromSql($"SELECT * FROM jira_connections WHERE id = {connection.Id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new JiraException(JiraFailureKind.Unauthorized, "The connection was deleted.");
        await db.Entry(locked).ReloadAsync(cancellationToken);
        var current = (OAuthJiraCredentials)protector.Unprotect(locked.TenantId, locked.EncryptedCredential);
        if (IsExpiring(current))
        {
            var renewed = await oauth.RefreshAsync(current.RefreshToken, cancellationToken);
            current = current with
            {
                AccessToken = renewed.AccessToken,
                ExpiresAt = renewed.ExpiresAt,
                RefreshToken = renewed.RefreshToken,
                Scope = renewed.Scope,
            };
            locked.EncryptedCredential = protector.Protect(locked.TenantId, current);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        connection.EncryptedCredential = locked.EncryptedCredential;
        return site with { Credentials = current };
    }

    private bool IsExpiring(OAuthJiraCredentials grant) => grant.ExpiresAt - timeProvider.GetUtcNow() < options.Value.RefreshBefore;
}
