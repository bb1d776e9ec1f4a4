using System.Security.Claims;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Realtime.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Hubs;

/// <summary>
/// Credentials are checked when a connection opens and then again every <c>Realtime:RevalidateInterval</c> (5 s): a
/// connection whose access token expired, whose session was ended (logout, revoke, removal or role change, through the
/// deny-list), whose API key was revoked or expired, or whose tenant is no longer active is closed.
/// </summary>
public sealed partial class ConnectionRevalidator(
    OpenConnections connections,
    SessionDenyList denyList,
    IServiceScopeFactory scopes,
    IOptions<RealtimeOptions> options,
    TimeProvider timeProvider,
    ILogger<ConnectionRevalidator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevalidateInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RevalidateAsync(stoppingToken);
        }
    }

    private async Task RevalidateAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var tenant in connections.Snapshot().Where(c => c.User?.GetTenantId() is not null).GroupBy(c => c.User!.GetTenantId()!.Value))
        {
            try
            {
                var (active, validKeys) = await ReadTenantAsync(tenant.Key, tenant.Select(c => ApiKeyOf(c.User!)).OfType<Guid>().ToList(), now, cancellationToken);
                foreach (var connection in tenant)
                {
                    if (await WhyInvalidAsync(connection.User!, active, validKeys, now) is { } reason)
                    {
                        LogClosed(logger, connection.ConnectionId, reason);
                        connection.Abort();
                    }
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One tenant's failure (a store that does not answer) must not skip the others; the next tick tries again.
                LogRevalidationFailed(logger, tenant.Key, ex);
            }
        }
    }

    private async Task<string?> WhyInvalidAsync(ClaimsPrincipal user, bool tenantActive, HashSet<Guid> validKeys, DateTimeOffset now)
    {
        if (!tenantActive)
        {
            return "the tenant is not active";
        }

        if (ApiKeyOf(user) is { } key && !validKeys.Contains(key))
        {
            return "the API key was revoked or expired";
        }

        if (long.TryParse(user.FindFirstValue("exp"), out var expires) && DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            return "the access token expired";
        }

        return Guid.TryParse(user.FindFirstValue(JiraExportClaims.Session), out var session) && await denyList.IsDeniedAsync(session)
            ? "the session was ended"
            : null;
    }

    private async Task<(bool Active, HashSet<Guid> ValidKeys)> ReadTenantAsync(
        Guid tenantId, List<Guid> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var status = await db.Tenants.Select(t => (TenantStatus?)t.Status).SingleOrDefaultAsync(cancellationToken);
        var valid = keys.Count == 0
            ? []
            : await db.ApiKeys.Where(k => keys.Contains(k.Id) && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
                .Select(k => k.Id).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (status == TenantStatus.Active, [.. valid]);
    }

    private static Guid? ApiKeyOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim), out var key) ? key : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed hub connection {ConnectionId}: {Reason}")]
    private static partial void LogClosed(ILogger logger, string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the open hub connections of tenant {TenantId} failed; the next check tries again")]
    private static partial void LogRevalidationFailed(ILogger logger, Guid tenantId, Exception exception);
}
