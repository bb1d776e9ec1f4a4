using JiraExport.Api.Extensions;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Security.Claims;
using JiraExport.Core.Caching;
using JiraExport.Core.Identity;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.OutputCaching;

namespace JiraExport.Api.Caching;

/// <summary>
/// Which answers are cached, and under what key. Only GETs marked <see cref="CachedRead"/>, only for a caller with a tenant,
/// and only after authentication and authorization have passed (the middleware runs after them): a cached answer is
/// keyed by the tenant, so no tenant is ever served another's, by the caller (an answer may depend on the caller's
/// features or role), and by path, query and API version. Only 200s are kept. A query naming a parameter the endpoint
/// does not take is answered without the cache, so made-up parameters cannot multiply the entries.
/// </summary>
internal sealed class TenantReadCachePolicy : IOutputCachePolicy
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<Endpoint, FrozenSet<string>> Parameters = new();

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<CachedRead>() is not { } read
            || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            || http.User.GetTenantId() is not { } tenantId
            || !TakesOnly(http.GetEndpoint()!, http.Request.Query.Keys))
        {
            return ValueTask.CompletedTask;
        }

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = Lifetime;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.HeaderNames = ApiVersionHeaderRouting.HeaderName;
        context.CacheVaryByRules.VaryByValues["tenant"] = tenantId.ToString("N");
        context.CacheVaryByRules.VaryByValues["caller"] = http.User.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim)
            ?? http.User.FindFirstValue(JiraExportClaims.Subject) ?? string.Empty;
        context.Tags.Add(ReadCacheTags.For(tenantId, read.Resource));
        return ValueTask.CompletedTask;
    }

    private static bool TakesOnly(Endpoint endpoint, ICollection<string> keys) =>
        keys.Count == 0 || keys.All(Parameters.GetOrAdd(endpoint, ParametersOf).Contains);

    /// <summary>The names an endpoint's handler binds, those of <c>[AsParameters]</c> types included.</summary>
    private static FrozenSet<string> ParametersOf(Endpoint endpoint) =>
        (endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
            .SelectMany(parameter => parameter.GetCustomAttribute<AsParametersAttribute>() is null
                ? [parameter.Name ?? string.Empty]
                : parameter.ParameterType.GetProperties().Select(property => property.Name))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.EnableOutputCaching && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<CachedRead>() is { } read)
        {
            context.HttpContext.RequestServices.GetRequiredService<ReadCacheMetrics>().Hit(read.Resource);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (!context.EnableOutputCaching || context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<CachedRead>() is not { } read)
        {
            return ValueTask.CompletedTask;
        }

        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }

        context.HttpContext.RequestServices.GetRequiredService<ReadCacheMetrics>().Miss(read.Resource);
        return ValueTask.CompletedTask;
    }
}
