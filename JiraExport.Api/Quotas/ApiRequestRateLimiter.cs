using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Api.Quotas;

/// <summary>
/// The plan's API requests per minute, counted per tenant in Redis (one counter per clock minute), so the limit holds
/// across Api instances. Over it, 429 with Retry-After until the next minute, as a problem naming the quota.
/// </summary>
public sealed class ApiRequestRateLimiter(IConnectionMultiplexer redis, IMemoryCache cache, IOptions<AuthOptions> options, TimeProvider timeProvider)
{
    // A plan change reaches other instances within this time.
    private static readonly TimeSpan PlanCacheTime = TimeSpan.FromMinutes(1);

    /// <summary>Counts the request in the current minute; the caller refuses it when the count is over the limit.</summary>
    public async Task<(int Limit, long Count, DateTimeOffset ResetsAt)> CountAsync(Guid tenantId, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var limit = await LimitAsync(tenantId, db, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var key = (RedisKey)$"{options.Value.RedisKeyPrefix}:api-requests:{tenantId:N}:{minute}";
        var database = redis.GetDatabase();
        var count = await database.StringIncrementAsync(key);
        if (count == 1)
        {
            await database.KeyExpireAsync(key, TimeSpan.FromMinutes(2));
        }

        return (limit, count, DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60));
    }

    /// <summary>Forgets a tenant's cached limit, after its plan changed on this instance.</summary>
    public void Forget(Guid tenantId) => cache.Remove(CacheKey(tenantId));

    private async Task<int> LimitAsync(Guid tenantId, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey(tenantId), out int limit))
        {
            return limit;
        }

        // Row-level security needs the tenant set, which happens per transaction.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            limit = await db.Tenants.Select(t => t.MaxApiRequestsPerMinute).SingleAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return cache.Set(CacheKey(tenantId), limit, PlanCacheTime);
    }

    private static string CacheKey(Guid tenantId) => $"api-request-limit:{tenantId:N}";
}

internal static class ApiRequestRateLimiterExtensions
{
    public static IApplicationBuilder UseApiRequestQuota(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.GetTenantId() is { } tenantId)
            {
                var limiter = context.RequestServices.GetRequiredService<ApiRequestRateLimiter>();
                var db = context.RequestServices.GetRequiredService<JiraExportDbContext>();
                var (limit, count, resetsAt) = await limiter.CountAsync(tenantId, db, context.RequestAborted);
                if (count > limit)
                {
                    await QuotaProblems.Exceeded(context, TenantQuotas.ApiRequestsPerMinute, limit, resetsAt,
                        $"The plan allows {limit} API requests per minute; try again after {resetsAt:u}.").ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });
}
