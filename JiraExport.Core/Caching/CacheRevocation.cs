using JiraExport.Core.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace JiraExport.Core.Caching;

/// <summary>
/// Removes cached entries on every instance (Api and Realtime) and waits until each one confirms, so a revoked credential
/// (a session, an API key, a suspended tenant) is refused everywhere before its revocation is answered. FusionCache's
/// backplane tells the other instances too, but does not wait for them: under load a second Api accepted an API key
/// after its revocation had been answered (CacheTests). Instances that do not confirm within two seconds are logged;
/// their copies end with their entries (at most five minutes).
/// </summary>
public sealed partial class CacheRevocation(
    IFusionCache cache, IOptions<AuthOptions> auth, RedisConnectionString redis, ILogger<CacheRevocation> logger) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(2);

    // This instance's memory only: the revoking instance has removed the shared copy already.
    private static readonly FusionCacheEntryOptions MemoryOnly = new FusionCacheEntryOptions().SetSkipDistributedCache(true, true);

    private ConnectionMultiplexer? _connection;

    /// <summary>Removes <paramref name="keys"/> from Redis and from every instance's memory, and returns once they all confirmed.</summary>
    public async Task RevokeAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await cache.RemoveAsync(key, token: cancellationToken);
        }

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
        var options = ConfigurationOptions.Parse(redis.Value);
        options.AbortOnConnectFail = false;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        // Recorded at once and (re)subscribed whenever the connection comes up: a Redis that is down at start must not
        // keep the service from starting.
        await _connection.GetSubscriber().SubscribeAsync(RevocationChannel, (channel, message) => _ = ForgetAsync(message), CommandFlags.FireAndForget);
    }

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
            foreach (var key in lines.Skip(1))
            {
                await cache.RemoveAsync(key, MemoryOnly);
            }

            await Subscriber.PublishAsync(ConfirmationChannel(lines[0]), "1");
        }
        catch (Exception ex)
        {
            // Unconfirmed, the revoking instance logs it too; this instance's copies end with their entries.
            LogForgetFailed(logger, ex);
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

/// <summary>The Redis connection string, for the connections the cache opens beside the shared multiplexer.</summary>
public sealed record RedisConnectionString(string Value);
