using JiraExport.Core.Caching;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.OutputCaching;

namespace JiraExport.Api.Caching;

/// <summary>Marks a GET whose answer is cached per tenant under <see cref="Resource"/>'s tag (<see cref="ReadCacheTags"/>).</summary>
internal sealed record CachedRead(string Resource);

/// <summary>
/// Cached reads: the answers of marked GETs live in Redis (shared by every Api instance) per tenant, path, query and API
/// version, for a minute at most. Whatever changes the data behind them evicts them: a write through the Api (here), a
/// domain event in the Api or the Worker (<see cref="Core.Messaging.DomainEventWriter"/>). Every answer carries an ETag
/// (<see cref="ContentETags"/>); a client sending it in <c>If-None-Match</c> gets 304 while the answer is unchanged.
/// </summary>
internal static class CachedReads
{
    public static void AddCachedReads(this IHostApplicationBuilder builder)
    {
        builder.AddReadCacheStore();
        builder.Services.AddOutputCache(options =>
        {
            // A page bigger than this is answered, not kept: a tenant cannot fill the shared Redis with large pages.
            options.MaximumBodySize = 1024 * 1024;
            options.AddBasePolicy(new TenantReadCachePolicy());
        });
    }

    /// <summary>Caches this GET's successful answers per tenant, tagged with <paramref name="resource"/>.</summary>
    public static RouteHandlerBuilder CacheRead(this RouteHandlerBuilder endpoint, string resource) =>
        endpoint.WithMetadata(new CachedRead(resource)).StoresNoAnswerReadDuringAChange(resource).TagsContent();

    /// <summary>Caches every GET of this group per tenant under <paramref name="resource"/>; every write in it evicts them.</summary>
    public static RouteGroupBuilder CachesReads(this RouteGroupBuilder group, string resource) =>
        group.WithMetadata(new CachedRead(resource)).StoresNoAnswerReadDuringAChange(resource).TagsContent().EvictsCachedReads(resource);

    /// <summary>Every write in this group evicts the tenant's cached reads of <paramref name="resource"/>, in its transaction and after.</summary>
    public static TBuilder EvictsCachedReads<TBuilder>(this TBuilder group, string resource)
        where TBuilder : IEndpointConventionBuilder =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && http.User.GetTenantId() is { } tenantId)
            {
                await http.RequestServices.GetRequiredService<ReadCacheEvictor>().EvictAsync(
                    http.RequestServices.GetRequiredService<JiraExportDbContext>(), tenantId, resource, "write", http.RequestAborted);
            }

            return result;
        });

    /// <summary>
    /// A cached read that runs (a miss) notes its resource's mark before it reads the database; once its answer is stored,
    /// it evicts it again if a change was evicted meanwhile (<see cref="ReadCacheEvictor"/>).
    /// </summary>
    private static TBuilder StoresNoAnswerReadDuringAChange<TBuilder>(this TBuilder endpoint, string resource)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Features.Get<IOutputCacheFeature>()?.Context is { EnableOutputCaching: true, AllowCacheStorage: true }
                && http.User.GetTenantId() is { } tenantId)
            {
                var evictor = http.RequestServices.GetRequiredService<ReadCacheEvictor>();
                var mark = await evictor.ReadMarkAsync(tenantId, resource, http.RequestAborted);
                // The output cache stores the answer before the response completes.
                http.Response.OnCompleted(() => evictor.EvictIfMarkedSinceAsync(tenantId, resource, mark, CancellationToken.None));
            }

            return await next(context);
        });
}
