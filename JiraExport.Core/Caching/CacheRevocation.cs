using JiraExport.Core.Identity;
using JiraExport.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Caching;

/// <summary>
/// Removes cached entries on every instance (Api and Realtime) and waits until each one confirms, so a revoked credential
/// (a session, an API key, a suspended tenant) is refused everywhere before its revocation is answered. FusionCache's
/// backplane, used here first, tells the other instances too but does not wait for them: under load a second Api
/// accepted an API key after its revocation had been answered (CacheTests). What a revocation may remove is kept in each instance's memory
/// only (<see cref="Revocable"/>): Redis never holds an answer that grants access. A lookup that was already running when
/// a revocation arrived may have read the state before it, so its answer is not kept (<see cref="KeepUnlessRevokedSince"/>).
/// Instances that do not confirm within two seconds (or are not subscribed at that moment) are logged; their copies end
/// with their entries (a minute).
/// </summary>
public sealed partial class CacheRevocation(
    IFusionCache cache, IOptions<AuthOptions> auth, IConfiguration configuration, ILogger<CacheRevocation> logger) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(2);

    private static readonly FusionCacheEntryOptions MemoryOnly = new FusionCacheEntryOptions().SetSkipDistributedCache(true, true);

    private static readonly FusionCacheEntryOptions NotKept = new FusionCacheEntryOptions
    {
        SkipMemoryCacheWrite = true,
    }.SetSkipDistributedCache(true, true);

    private ConnectionMultiplexer? _connection;
    private long _revocations;

    /// <summary>
    /// Entry options for what a revocation may remove: this instance's memory only, for <paramref name="duration"/>; with
    /// <paramref name="failSafe"/>, the last answer stands for up to an hour while its store does not answer.
    /// </summary>
    public static FusionCacheEntryOptions Revocable(TimeSpan duration, bool failSafe) => new FusionCacheEntryOptions
    {
        Duration = duration,
        IsFailSafeEnabled = failSafe,
        FailSafeMaxDuration = TimeSpan.FromHours(1),
        FailSafeThrottleDuration = TimeSpan.FromSeconds(30),
    }.SetSkipDistributedCache(true, true);

    /// <summary>How many revocations this instance has seen: a lookup reads it before it starts.</summary>
    public long Revocations => Interlocked.Read(ref _revocations);

    /// <summary>Keeps the lookup's answer out of the cache when a revocation arrived while it ran (it may predate it).</summary>
    public void KeepUnlessRevokedSince<T>(FusionCacheFactoryExecutionContext<T> context, long revocationsAtStart)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Revocations != revocationsAtStart)
        {
            context.Options = NotKept;
        }
    }

    /// <summary>
    /// Puts entries read ahead of their first lookup (when an instance starts) into this instance's memory; takes them back
    /// when a revocation arrived since <paramref name="revocationsAtStart"/>, read before they were.
    /// </summary>
    public void Warm<T>(IReadOnlyCollection<(string Key, T Value)> entries, FusionCacheEntryOptions options, long revocationsAtStart)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
        {
            cache.Set(key, value, options);
        }

        // A revocation counts before it removes: one not counted yet removes these entries after they were put.
        if (Revocations != revocationsAtStart)
        {
            foreach (var (key, _) in entries)
            {
                cache.Remove(key, MemoryOnly);
            }
        }
    }

    /// <summary>Removes <paramref name="keys"/> from every instance's memory, and returns once they all confirmed.</summary>
    public async Task RevokeAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await ForgetAsync(keys);

        var subscriber = Subscriber;
        var id = Guid.NewGuid().ToString("N");
        var confirmations = await subscriber.SubscribeAsync(ConfirmationChannel(id));
        try
        {
            var instances = await subscriber.PublishAsync(RevocationChannel, string.Join('\n', keys.Prepend(id)));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ConfirmWithin);
            for (var confirmed = 0; confirmed < instances; confirmed++)
            {
                try
                {
                    await confirmations.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    LogUnconfirmed(logger, confirmed, instances);
                    break;
                }
            }
        }
        finally
        {
            await confirmations.UnsubscribeAsync();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(configuration.GetConnectionString(ResourceNames.Redis) ?? string.Empty);
        options.AbortOnConnectFail = false;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        // Recorded at once and (re)subscribed whenever the connection comes up: a Redis that is down at start must not
        // keep the service from starting. When it is up, the subscription is confirmed before the service goes on, so
        // entries warmed next (CacheWarmer) hear every revocation made after they were read.
        await _connection.GetSubscriber().SubscribeAsync(RevocationChannel, (channel, message) => _ = ForgetAsync(message),
            _connection.IsConnected ? CommandFlags.None : CommandFlags.FireAndForget);
    }

    /// <summary>Whether revocations reach this instance now: warming entries without that would keep revoked ones.</summary>
    public bool IsListening => _connection?.IsConnected == true;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task ForgetAsync(RedisValue message)
    {
        try
        {
            var lines = ((string?)message ?? string.Empty).Split('\n');
            await ForgetAsync(lines.Skip(1));
            await Subscriber.PublishAsync(ConfirmationChannel(lines[0]), "1");
        }
        catch (Exception ex)
        {
            // Unconfirmed, the revoking instance logs it too; this instance's copies end with their entries.
            LogForgetFailed(logger, ex);
        }
    }

    private async Task ForgetAsync(IEnumerable<string> keys)
    {
        Interlocked.Increment(ref _revocations);
        foreach (var key in keys)
        {
            await cache.RemoveAsync(key, MemoryOnly);
        }
    }

    private ISubscriber Subscriber =>
        (_connection ?? throw new InvalidOperationException("The cache revocation channel is not connected yet.")).GetSubscriber();

    private RedisChannel RevocationChannel => RedisChannel.Literal($"{auth.Value.RedisKeyPrefix}:cache-revocations");

    private RedisChannel ConfirmationChannel(string id) => RedisChannel.Literal($"{auth.Value.RedisKeyPrefix}:cache-revocations:{id}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Only {Confirmed} of {Instances} instances confirmed a revocation within two seconds; the others' copies expire on their own")]
    private static partial void LogUnconfirmed(ILogger logger, int confirmed, long instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forget the cached entries of a revocation")]
    private static partial void LogForgetFailed(ILogger logger, Exception exception);
}
