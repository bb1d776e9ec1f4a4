using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace JiraExport.Core.Persistence;

/// <summary>
/// How far each tenant's synced Jira data has been written on the primary, as a WAL position (LSN) kept in Redis: raised
/// after every commit that changes it (<see cref="Messaging.DomainEventWriter"/>), read by <see cref="StandbyReads"/> before
/// it lets a standby answer. A tenant told that a sync finished or an issue changed never reads the state before from
/// a standby that has not replayed it yet.
/// </summary>
public sealed partial class ReplicationWatermarks(IServiceProvider services, ILogger<ReplicationWatermarks> logger)
{
    /// <summary>Kept well past any lag a working standby has; a standby a day behind is broken, not stale.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <summary>Raises, never lowers: two commits noting out of order leave the later position.</summary>
    private const string RaiseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
        """;

    // Resolved on first use: only the services that write synced data or read from a standby need Redis.
    private IDatabase Redis => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    /// <summary>Once the current transaction has committed, raises the tenant's watermark to the primary's WAL position then.</summary>
    public Task RaiseAfterCommitAsync(JiraExportDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connectionString = db.Database.GetConnectionString();
        return db.AfterCommitAsync(async token =>
        {
            try
            {
                // Read after the commit on a connection of its own: a position at least as far as the commit's record.
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(token);
                await using var command = new NpgsqlCommand("SELECT (pg_current_wal_lsn() - '0/0')::bigint", connection);
                var position = (long)(await command.ExecuteScalarAsync(token))!;
                await Redis.ScriptEvaluateAsync(RaiseScript, [Key(tenantId)], [position, (long)Lifetime.TotalSeconds]).WaitAsync(token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // The change stands. Until the next one is noted, a standby may answer for this tenant without it.
                LogRaiseFailed(logger, tenantId, ex);
            }
        }, cancellationToken);
    }

    /// <summary>The WAL position a server must have replayed to answer for the tenant; 0 when nothing is noted.</summary>
    public async Task<long> ReadAsync(Guid tenantId, CancellationToken cancellationToken) =>
        (long?)await Redis.StringGetAsync(Key(tenantId)).WaitAsync(cancellationToken) ?? 0;

    private static RedisKey Key(Guid tenantId) => $"jiraexport:replication-watermark:{tenantId:N}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not note the WAL position of tenant {TenantId}'s change; a standby may answer without it until the next")]
    private static partial void LogRaiseFailed(ILogger logger, Guid tenantId, Exception exception);
}
