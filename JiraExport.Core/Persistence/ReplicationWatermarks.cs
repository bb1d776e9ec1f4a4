using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace JiraExport.Core.Persistence;

/// <summary>What a standby must have replayed to answer for a tenant: its last change's WAL position, or none while one commits.</summary>
public readonly record struct ReplicationWatermark(long Position, bool ChangeCommitting);

/// <summary>
/// How far each tenant's synced Jira data has been written on the primary, kept in Redis for <see cref="StandbyReads"/>,
/// which lets a standby answer only once it has replayed that far. A change (<see cref="Messaging.DomainEventWriter"/>)
/// marks itself as committing before its transaction commits, and after the commit raises the tenant's position to the
/// primary's WAL position then and drops the mark. So from the moment anyone could see the change (its event published,
/// its job's status read), no standby that has not replayed it answers for the tenant.
/// </summary>
public sealed partial class ReplicationWatermarks(IServiceProvider services, TimeProvider timeProvider, ILogger<ReplicationWatermarks> logger)
{
    /// <summary>Kept well past any lag a working standby has; a standby a day behind is broken, not stale.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <summary>A mark whose transaction rolled back (or whose process died) stops counting after this.</summary>
    private static readonly TimeSpan CommittingLifetime = TimeSpan.FromMinutes(5);

    private const string PositionField = "position";
    private const string CommittingPrefix = "committing:";

    /// <summary>Raises the position, never lowers it (two commits may note out of order), and drops the commit's mark.</summary>
    private const string RaiseScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], 'position') or '0')
        if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'position', ARGV[1]) end
        redis.call('HDEL', KEYS[1], ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        """;

    // Resolved on first use: only the services that write synced data or read from a standby need Redis.
    private IDatabase Redis => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    /// <summary>
    /// In the transaction of a change to the tenant's synced data: marks it committing now, and once it has committed raises
    /// the tenant's position to the primary's WAL position then.
    /// </summary>
    public async Task RaiseAfterCommitAsync(JiraExportDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = Key(tenantId);
        var mark = CommittingPrefix + Guid.NewGuid().ToString("N");
        try
        {
            var expires = (timeProvider.GetUtcNow() + CommittingLifetime).ToUnixTimeMilliseconds();
            await Redis.HashSetAsync(key, mark, expires).WaitAsync(cancellationToken);
            await Redis.KeyExpireAsync(key, Lifetime).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The change goes on; until its position is noted, a lagging standby may answer without it.
            LogNoteFailed(logger, tenantId, ex);
        }

        var connectionString = db.Database.GetConnectionString();
        await db.AfterCommitAsync(async token =>
        {
            try
            {
                // Read after the commit on a connection of its own: a position at least as far as the commit's record.
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(token);
                await using var command = new NpgsqlCommand("SELECT (pg_current_wal_lsn() - '0/0')::bigint", connection);
                var position = (long)(await command.ExecuteScalarAsync(token))!;
                await Redis.ScriptEvaluateAsync(RaiseScript, [key], [position, mark, (long)Lifetime.TotalSeconds]).WaitAsync(token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // The change stands; its mark keeps standbys out for the tenant until it expires.
                LogNoteFailed(logger, tenantId, ex);
            }
        }, cancellationToken);
    }

    /// <summary>The tenant's watermark; position 0 when nothing is noted.</summary>
    public async Task<ReplicationWatermark> ReadAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var fields = await Redis.HashGetAllAsync(Key(tenantId)).WaitAsync(cancellationToken);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var position = fields.Where(f => f.Name == PositionField).Select(f => (long)f.Value).FirstOrDefault();
        var committing = fields.Any(f => f.Name.StartsWith(CommittingPrefix) && (long)f.Value > now);
        return new ReplicationWatermark(position, committing);
    }

    private static RedisKey Key(Guid tenantId) => $"jiraexport:replication-watermark:{tenantId:N}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not note tenant {TenantId}'s change for the standby reads")]
    private static partial void LogNoteFailed(ILogger logger, Guid tenantId, Exception exception);
}
