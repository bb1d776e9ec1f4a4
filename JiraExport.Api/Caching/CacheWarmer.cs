using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using JiraExport.Api.Quotas;
using JiraExport.Core.Caching;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Caching;

/// <summary>What an Api instance loads into its memory caches before it takes requests.</summary>
public sealed class CacheWarmingOptions
{
    public const string SectionName = "CacheWarming";

    public bool Enabled { get; set; } = true;

    /// <summary>The tenants with the most API requests since yesterday: their state and plan.</summary>
    [Range(0, 100_000)]
    public int MaxTenants { get; set; } = 1000;

    /// <summary>The API keys used most recently (within <see cref="ApiKeysUsedWithin"/>).</summary>
    [Range(0, 100_000)]
    public int MaxApiKeys { get; set; } = 5000;

    public TimeSpan ApiKeysUsedWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Warming is a head start, never a reason not to start: past this, the instance starts cold.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Warms the tenant gate's and the API key cache's memory when the instance starts, so that a new instance (a deploy, a
/// rolling restart, a scale-out) does not meet its first burst with one database lookup per tenant and per key. Runs
/// before the server listens; entries follow the same revocation rules as looked-up ones (<see cref="CacheRevocation.Warm"/>).
/// </summary>
public sealed partial class CacheWarmer(
    TenantGate tenantGate, ApiKeyCache apiKeys, CacheRevocation revocation, IServiceScopeFactory scopes,
    IOptions<CacheWarmingOptions> options, TimeProvider timeProvider, ILogger<CacheWarmer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        if (!revocation.IsListening)
        {
            LogNotListening(logger);
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            var revocations = revocation.Revocations;
            var now = timeProvider.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            var since = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
            var tenants = await db.Database.SqlQuery<WarmTenant>($"""
                SELECT tenant_id AS "TenantId", status AS "Status", max_api_requests_per_minute AS "MaxApiRequestsPerMinute"
                FROM recently_active_tenants({since}, {settings.MaxTenants})
                """).ToListAsync(deadline.Token);
            var keys = await db.Database.SqlQuery<WarmApiKey>($"""
                SELECT secret_hash AS "SecretHash", tenant_id AS "TenantId", api_key_id AS "ApiKeyId", scopes AS "Scopes", expires_at AS "ExpiresAt"
                FROM recently_used_api_keys({now - settings.ApiKeysUsedWithin}, {settings.MaxApiKeys})
                """).ToListAsync(deadline.Token);

            tenantGate.Warm(tenants.Select(t => (t.TenantId, Enum.Parse<TenantStatus>(t.Status), t.MaxApiRequestsPerMinute)), revocations);
            apiKeys.Warm(keys.Select(k => (k.SecretHash, new ApiKeyMatch(k.TenantId, k.ApiKeyId, k.Scopes, k.ExpiresAt))), revocations);
            LogWarmed(logger, tenants.Count, keys.Count);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DbException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogColdStart(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record WarmTenant(Guid TenantId, string Status, int MaxApiRequestsPerMinute);

    private sealed record WarmApiKey(byte[] SecretHash, Guid TenantId, Guid ApiKeyId, string? Scopes, DateTimeOffset? ExpiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed the caches with {Tenants} tenants and {ApiKeys} API keys")]
    private static partial void LogWarmed(ILogger logger, int tenants, int apiKeys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocations do not reach this instance yet (Redis is not connected); starting cold")]
    private static partial void LogNotListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not warm the caches; starting cold (each first lookup reads the database)")]
    private static partial void LogColdStart(ILogger logger, Exception exception);
}

internal static class CacheWarmingExtensions
{
    public static IHostApplicationBuilder AddCacheWarming(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CacheWarmingOptions>().BindConfiguration(CacheWarmingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<CacheWarmer>();
        return builder;
    }
}
