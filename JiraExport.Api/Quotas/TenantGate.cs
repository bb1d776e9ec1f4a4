using JiraExport.Core.Caching;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Api.Quotas;

/// <summary>
/// What every request of a tenant passes first: the tenant must be active, and within its plan's API requests per
/// minute, counted in Redis per clock minute so the limit holds across Api instances. The tenant's state is cached
/// in each instance's memory for a minute; a change to it is forgotten on every instance before it is answered
/// (<see cref="ForgetAsync"/>).
/// </summary>
public sealed class TenantGate(
    IConnectionMultiplexer redis, IFusionCache cache, CacheRevocation revocation, ReadCacheEvictor readCache, ApiRequestTally tally,
    IOptions<AuthOptions> options, TimeProvider timeProvider)
{
    private static readonly FusionCacheEntryOptions StateCaching = CacheRevocation.Revocable(TimeSpan.FromMinutes(1), failSafe: true);

    /// <summary>A problem to answer instead of the request, or null to let it through.</summary>
    public async Task<ProblemHttpResult?> CheckAsync(HttpContext http, Guid tenantId, CancellationToken cancellationToken)
    {
        var state = await StateAsync(tenantId, http.RequestServices, cancellationToken);
        if (state is null)
        {
            // Purged while a token of it was still unexpired.
            return TypedResults.Problem(title: "Tenant gone", detail: "The tenant of this credential no longer exists.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        if (state.Status != TenantStatus.Active)
        {
            return Inactive(state.Status);
        }

        var now = timeProvider.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var key = (RedisKey)$"{options.Value.RedisKeyPrefix}:api-requests:{tenantId:N}:{minute}";
        var database = redis.GetDatabase();
        var count = await database.StringIncrementAsync(key);
        if (count == 1)
        {
            await database.KeyExpireAsync(key, TimeSpan.FromMinutes(2));
        }

        var limit = state.MaxApiRequestsPerMinute;
        var resetsAt = DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
        if (count <= limit)
        {
            tally.Count(tenantId, Caller(http));
            return null;
        }

        return QuotaProblems.Exceeded(http, TenantQuotas.ApiRequestsPerMinute, limit, resetsAt,
                $"The plan allows {limit} API requests per minute; try again after {resetsAt:u}.");
    }

    /// <summary>The column's width (<see cref="PrincipalUsageDay.Endpoint"/>).</summary>
    private const int MaxEndpointName = 200;

    /// <summary>Who made the request and to which endpoint, for usage per person; null for a caller who is neither a person nor a key.</summary>
    private static PrincipalEndpoint? Caller(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        // The API reference's operation id: a v2 handler's endpoint name carries a suffix its operation id does not.
        var name = endpoint?.Metadata.GetMetadata<OpenApi.OperationIdMetadata>()?.OperationId
                   ?? endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                   ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        return name is not null && http.User.GetPrincipal() is { } principal
            ? new PrincipalEndpoint(principal.Id, principal.Kind, name.Length <= MaxEndpointName ? name : name[..MaxEndpointName])
            : null;
    }

    /// <summary>Whether the tenant is active, from the same cached state; <see cref="TenantContext"/> must name it.</summary>
    public async Task<bool> IsActiveAsync(Guid tenantId, IServiceProvider services, CancellationToken cancellationToken) =>
        (await StateAsync(tenantId, services, cancellationToken))?.Status == TenantStatus.Active;

    /// <summary>
    /// Forgets a tenant's cached state on every instance, and its cached <c>GET /tenant</c> (whose ETag is the row's
    /// version), after its plan or status changed. Runs to the end even if the caller has gone: the change is committed.
    /// </summary>
    public async Task ForgetAsync(Guid tenantId)
    {
        await revocation.RevokeAsync([CacheKey(tenantId)], CancellationToken.None);
        await readCache.EvictNowAsync(tenantId, ReadCacheTags.Tenant, "plan or status", CancellationToken.None);
    }

    /// <summary>States read when the instance starts (<see cref="Caching.CacheWarmer"/>), before any request asked for them.</summary>
    public void Warm(IEnumerable<(Guid TenantId, TenantStatus Status, int MaxApiRequestsPerMinute)> states, long revocationsAtStart) =>
        revocation.Warm(
            [.. states.Select(state => (CacheKey(state.TenantId), (TenantState?)new TenantState(state.Status, state.MaxApiRequestsPerMinute)))],
            StateCaching, revocationsAtStart);

    /// <summary>The answer for a tenant that is not active: its data is kept, its requests are refused.</summary>
    public static ProblemHttpResult Inactive(TenantStatus status) => TypedResults.Problem(
        title: status == TenantStatus.Suspended ? "Tenant suspended" : "Tenant scheduled for deletion",
        detail: status == TenantStatus.Suspended
            ? "This tenant is suspended: its data is kept, but nothing can be done with it. Contact the platform administrator."
            : "This tenant is scheduled for deletion and no longer answers. Contact the platform administrator to stop it.",
        statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The database context is resolved only on a miss: building one costs more than the rest of a cached read.</summary>
    private ValueTask<TenantState?> StateAsync(Guid tenantId, IServiceProvider services, CancellationToken cancellationToken) =>
        cache.GetOrSetAsync<TenantState?>(CacheKey(tenantId), async (context, token) =>
        {
            var revocations = revocation.Revocations;
            var db = services.GetRequiredService<JiraExportDbContext>();
            // Row-level security needs the tenant set, which happens per transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var state = await db.Tenants.Select(t => new TenantState(t.Status, t.MaxApiRequestsPerMinute)).SingleOrDefaultAsync(token);
            await transaction.CommitAsync(token);
            revocation.KeepUnlessRevokedSince(context, revocations);
            return state;
        }, StateCaching, cancellationToken);

    private static string CacheKey(Guid tenantId) => $"tenant-state:{tenantId:N}";

    private sealed record TenantState(TenantStatus Status, int MaxApiRequestsPerMinute);
}

internal static class TenantGateExtensions
{
    public static IApplicationBuilder UseTenantGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.GetTenantId() is { } tenantId)
            {
                var gate = context.RequestServices.GetRequiredService<TenantGate>();
                if (await gate.CheckAsync(context, tenantId, context.RequestAborted) is { } refused)
                {
                    await refused.ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });
}
