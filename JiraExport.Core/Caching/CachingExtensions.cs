using JiraExport.Core.Identity;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace JiraExport.Core.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// FusionCache for what every request looks up (API keys, revoked sessions, tenant state): memory first, then Redis,
    /// and a Redis backplane that drops the other instances' memory copies of what changed. Revocations go further and
    /// wait for every instance (<see cref="CacheRevocation"/>).
    /// When a store does not answer, the last known value is used for up to an hour (fail-safe). Keys and the backplane
    /// channel carry <c>Auth:RedisKeyPrefix</c>, so deployments (and test classes) sharing a Redis never see each other.
    /// </summary>
    public static IHostApplicationBuilder AddJiraExportCache(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(IFusionCache)))
        {
            return builder;
        }

        var prefix = RedisKeyPrefix(builder.Configuration);
        builder.Services.AddFusionCache()
            .WithOptions(options =>
            {
                options.CacheKeyPrefix = $"{prefix}:cache:";
                options.BackplaneChannelPrefix = $"{prefix}:cache";
                // An instance that serves before it hears the backplane could keep a revoked credential.
                options.WaitForInitialBackplaneSubscribe = true;
            })
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = TimeSpan.FromMinutes(1),
                IsFailSafeEnabled = true,
                FailSafeMaxDuration = TimeSpan.FromHours(1),
                FailSafeThrottleDuration = TimeSpan.FromSeconds(30),
                // A change is announced to the other instances before the caller is answered.
                AllowBackgroundBackplaneOperations = false,
                AllowBackgroundDistributedCacheOperations = false,
            })
            .WithSerializer(new FusionCacheSystemTextJsonSerializer())
            .WithDistributedCache(services => new RedisCache(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()),
            }))
            // Its own connection: Realtime's multiplexer prefixes every channel for SignalR, and the backplane must be
            // one channel across all services.
            .WithStackExchangeRedisBackplane(options => options.Configuration = builder.Configuration.GetConnectionString(ResourceNames.Redis));

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(FusionCacheDiagnostics.MeterName));
        builder.Services.AddSingleton(new RedisConnectionString(builder.Configuration.GetConnectionString(ResourceNames.Redis) ?? string.Empty));
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
