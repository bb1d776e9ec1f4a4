using JiraExport.Core.Caching;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Messaging;

/// <summary>Where one event goes besides the event log and the tenant's group, which get every event.</summary>
public sealed record EventRoute(bool ToFollowers, bool ToWebhooks)
{
    public static readonly EventRoute Everywhere = new(true, true);
}

/// <summary>
/// Decides where a tenant's event goes by its routing rules (<see cref="TenantEventRouting"/>), read once a minute per
/// instance; a change of the rules is forgotten on every instance before it is answered (<see cref="ForgetAsync"/>).
/// </summary>
public sealed class EventRouting(IFusionCache cache, CacheRevocation revocation, IServiceScopeFactory scopes)
{
    private static readonly FusionCacheEntryOptions RulesCaching = CacheRevocation.Revocable(TimeSpan.FromMinutes(1), failSafe: true);

    /// <summary>Where an event of <paramref name="type"/> (<c>issue.changed</c>) about <paramref name="subject"/> goes.</summary>
    public async ValueTask<EventRoute> RouteAsync(EventSubject subject, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var rules = await RulesAsync(subject.TenantId, cancellationToken);
        return rules.FirstOrDefault(rule => rule.Matches(type, subject.ConnectionId, subject.Projects)) is { } rule
            ? new EventRoute(rule.ToFollowers, rule.ToWebhooks)
            : EventRoute.Everywhere;
    }

    public Task ForgetAsync(Guid tenantId, CancellationToken cancellationToken) => revocation.RevokeAsync([CacheKey(tenantId)], cancellationToken);

    private ValueTask<IReadOnlyList<EventRoutingRule>> RulesAsync(Guid tenantId, CancellationToken cancellationToken) =>
        cache.GetOrSetAsync<IReadOnlyList<EventRoutingRule>>(CacheKey(tenantId), async (context, token) =>
        {
            var revocations = revocation.Revocations;
            // A scope of its own: the caller's context may be inside a transaction of another tenant's work.
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var routing = await db.TenantEventRoutings.AsNoTracking().SingleOrDefaultAsync(token);
            await transaction.CommitAsync(token);
            revocation.KeepUnlessRevokedSince(context, revocations);
            return routing?.Rules ?? [];
        }, RulesCaching, cancellationToken);

    private static string CacheKey(Guid tenantId) => $"event-routing:{tenantId:N}";
}
