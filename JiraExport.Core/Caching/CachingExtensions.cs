using JiraExport.Core.Identity;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// FusionCache for what every request looks up (API keys, revoked sessions, tenant state), in each instance's memory,
    /// with stampede protection and fail-safe. Not in Redis and without FusionCache's backplane, on purpose: an entry in
    /// Redis would let whoever can write to Redis grant access, and the backplane does not wait for the other instances.
    /// Revocations remove entries on every instance and wait for each (<see cref="CacheRevocation"/>).
    /// </summary>
    public static IHostApplicationBuilder AddJiraExportCache(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(IFusionCache)))
        {
            return builder;
        }

        builder.Services.AddFusionCache();
        // The revocation channel is named by Auth:RedisKeyPrefix: a service that does not authenticate (the Worker) binds
        // it too, or its revocations and theirs would pass each other on two channels.
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(FusionCacheDiagnostics.MeterName));
        builder.Services.AddSingleton<CacheRevocation>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CacheRevocation>());
        return builder;
    }

    /// <summary>
    /// The Redis store of the Api's cached reads, shared by every Api instance, and its evictor: whoever changes the data
    /// behind a cached read (an Api write, a domain event in the Api or the Worker) evicts it (<see cref="ReadCacheEvictor"/>).
    /// </summary>
    public static IHostApplicationBuilder AddReadCacheStore(this IHostApplicationBuilder builder)
    {
        var prefix = RedisKeyPrefix(builder.Configuration);
        builder.Services.AddStackExchangeRedisOutputCache(_ => { });
        builder.Services.AddOptions<RedisOutputCacheOptions>()
            .Configure<IServiceProvider>((options, services) =>
            {
                options.InstanceName = $"{prefix}:reads:";
                options.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>());
            });
        builder.Services.TryAddSingleton<ReadCacheMetrics>();
        builder.Services.TryAddSingleton<ReadCacheEvictor>();
        return builder;
    }

    private static string RedisKeyPrefix(IConfiguration configuration) =>
        configuration[$"{AuthOptions.SectionName}:{nameof(AuthOptions.RedisKeyPrefix)}"] ?? new AuthOptions().RedisKeyPrefix;
}
