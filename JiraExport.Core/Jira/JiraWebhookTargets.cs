using JiraExport.Core.Caching;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Jira;

/// <summary>
/// The tenant of a connection, the secret its Jira signs admin webhook deliveries with (null when none was made), and for
/// an OAuth connection the SHA-256 of the key in its dynamic webhook's URL (null until one is registered): those
/// deliveries carry a JWT of our app instead of a signature.
/// </summary>
public sealed record JiraWebhookTarget(Guid TenantId, string? Secret, bool IsOAuth, byte[]? DynamicWebhookKeyHash);

/// <summary>
/// Each connection's webhook target, cached in each instance's memory for a minute: a burst of deliveries costs the
/// database one lookup and one decryption of the secret per connection a minute per instance, not one per delivery. A
/// connection with neither a secret nor OAuth is remembered briefly, as unknown ones are.
/// Rotating the secret or deleting the connection forgets it on every instance before that is answered
/// (<see cref="ForgetAsync"/>); the tenant's state is checked apart, on every delivery.
/// </summary>
public sealed class JiraWebhookTargets(IFusionCache cache, CacheRevocation revocation, JiraWebhookSecrets secrets, IServiceScopeFactory scopes)
{
    // No fail-safe: a delivery cannot be stored while the database does not answer anyway, and an old secret must not outlive
    // a revocation this instance missed.
    private static readonly FusionCacheEntryOptions Found = CacheRevocation.Revocable(TimeSpan.FromMinutes(1), failSafe: false);

    // An unknown connection, one without a secret or of a tenant that is not active: remembered briefly.
    private static readonly FusionCacheEntryOptions NotFound = CacheRevocation.Revocable(TimeSpan.FromSeconds(10), failSafe: false);

    /// <summary>The connection's target, or null when its deliveries are refused.</summary>
    public async ValueTask<JiraWebhookTarget?> FindAsync(Guid connectionId, CancellationToken cancellationToken) =>
        await cache.GetOrSetAsync<JiraWebhookTarget?>(CacheKey(connectionId), async (context, token) =>
        {
            var revocations = revocation.Revocations;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            var rows = await db.Database
                .SqlQuery<StoredTarget>($"SELECT tenant_id AS \"TenantId\", secret_protected AS \"SecretProtected\", auth_type AS \"AuthType\", dynamic_webhook_key_hash AS \"DynamicWebhookKeyHash\" FROM jira_webhook_target({connectionId})")
                .ToListAsync(token);
            var secret = rows is [{ SecretProtected: { } protectedSecret } found] ? secrets.Unprotect(found.TenantId, protectedSecret) : null;
            var isOAuth = rows is [{ AuthType: nameof(JiraAuthType.OAuth) }];
            if (rows is not [var row] || (secret is null && !isOAuth))
            {
                context.Options = NotFound;
                return null;
            }

            revocation.KeepUnlessRevokedSince(context, revocations);
            return new JiraWebhookTarget(row.TenantId, secret, isOAuth, row.DynamicWebhookKeyHash);
        }, Found, cancellationToken);

    /// <summary>Forgets the connection's target on every instance: its secret was rotated, its dynamic webhook registered anew, or it was deleted.</summary>
    public Task ForgetAsync(Guid connectionId, CancellationToken cancellationToken) =>
        revocation.RevokeAsync([CacheKey(connectionId)], cancellationToken);

    private static string CacheKey(Guid connectionId) => $"jira-webhook-target:{connectionId:N}";

    private sealed record StoredTarget(Guid TenantId, string? SecretProtected, string AuthType, byte[]? DynamicWebhookKeyHash);
}
