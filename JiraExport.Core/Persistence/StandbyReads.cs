using System.Diagnostics.Metrics;
using JiraExport.Core.Tenancy;
using JiraExport.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace JiraExport.Core.Persistence;

public sealed class StandbyOptions
{
    public const string Section = "Database:Standby";

    /// <summary>How long a read waits for a standby to replay the tenant's last change before it goes to the primary.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// The standby's DbContexts (pooled, tenant-bound like the primary's) when <c>ConnectionStrings:jiraexportdb-app-reads</c>
/// names one: Npgsql multi-host with the standby preferred, so a standby that is down or promoted leaves the reads on
/// whichever server answers. Without it, every read goes to the primary.
/// </summary>
public sealed class StandbyDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _dataSource;

    public StandbyDatabase(string? connectionString, TenantTransactionInterceptor tenantInterceptor)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return;
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!builder.ConnectionStringBuilder.ContainsKey("Timeout"))
        {
            // A standby host that drops packets would hold every read for Npgsql's default 15 s before the next host.
            builder.ConnectionStringBuilder.Timeout = 3;
        }

        _dataSource = builder.BuildMultiHost().WithTargetSession(TargetSessionAttributes.PreferStandby);
        Contexts = new PooledDbContextFactory<JiraExportDbContext>(new DbContextOptionsBuilder<JiraExportDbContext>()
            .UseNpgsql(_dataSource).AddInterceptors(tenantInterceptor).Options);
    }

    public IDbContextFactory<JiraExportDbContext>? Contexts { get; }

    public ValueTask DisposeAsync() => _dataSource?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// Reads of the synced Jira data where staleness is acceptable (analytics): answered by a standby that has replayed the
/// tenant's last change (<see cref="ReplicationWatermarks"/>), waiting up to <see cref="StandbyOptions.MaxWait"/> for it,
/// and by the primary otherwise: while a change commits, when the watermark cannot be read, or when the standby fails.
/// What people write (definitions, calendars, exports) is always read from the primary.
/// </summary>
public sealed partial class StandbyReads(
    JiraExportDbContext primary, TenantContext tenant, StandbyDatabase standby, ReplicationWatermarks watermarks,
    IOptions<StandbyOptions> options, StandbyReadMetrics metrics, TimeProvider timeProvider, ILogger<StandbyReads> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public async Task<T> ReadAsync<T>(Func<JiraExportDbContext, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (standby.Contexts is null || tenant.TenantId is not { } tenantId)
        {
            return await FromPrimaryAsync(read, "no standby", cancellationToken);
        }

        ReplicationWatermark watermark;
        try
        {
            watermark = await watermarks.ReadAsync(tenantId, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            LogStandbyLeftOut(logger, "the watermark could not be read", ex);
            return await FromPrimaryAsync(read, "watermark unknown", cancellationToken);
        }

        if (watermark.ChangeCommitting)
        {
            return await FromPrimaryAsync(read, "change committing", cancellationToken);
        }

        try
        {
            await using var db = standby.Contexts.CreateDbContext().ActFor(tenant);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await CatchUpAsync(db, watermark.Position, cancellationToken) is { } server)
            {
                var result = await read(db, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                metrics.Read(server, server == StandbyReadMetrics.Standby ? "caught up" : "no standby answered");
                return result;
            }
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A read cancelled by replay, a standby restarting: the primary answers this one.
            LogStandbyLeftOut(logger, "the standby failed", ex);
            return await FromPrimaryAsync(read, "standby failed", cancellationToken);
        }

        return await FromPrimaryAsync(read, "standby behind", cancellationToken);
    }

    /// <summary>
    /// Which server the transaction is on, once it has replayed <paramref name="needed"/>; null when a standby has not
    /// within the wait. A primary (no standby answered) is always caught up.
    /// </summary>
    private async Task<string?> CatchUpAsync(JiraExportDbContext db, long needed, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.MaxWait;
        while (true)
        {
            var (inRecovery, replayed) = await ReplayPositionAsync(db, cancellationToken);
            if (!inRecovery)
            {
                return StandbyReadMetrics.Primary;
            }

            if (replayed >= needed)
            {
                return StandbyReadMetrics.Standby;
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    private async Task<T> FromPrimaryAsync<T>(Func<JiraExportDbContext, CancellationToken, Task<T>> read, string reason, CancellationToken cancellationToken)
    {
        // In the request's transaction when there is one, or in one of its own: row-level security needs it.
        var result = primary.Database.CurrentTransaction is null
            ? await primary.InTransactionAsync(ct => read(primary, ct), cancellationToken)
            : await read(primary, cancellationToken);
        metrics.Read(StandbyReadMetrics.Primary, reason);
        return result;
    }

    /// <summary>Whether the server is a standby, and how far it has replayed the primary's WAL.</summary>
    private static async Task<(bool InRecovery, long Replayed)> ReplayPositionAsync(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        await using var command = new NpgsqlCommand(
            "SELECT pg_is_in_recovery(), coalesce((pg_last_wal_replay_lsn() - '0/0')::bigint, 0)", transaction.Connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetInt64(1));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A read the standby could serve went to the primary: {Why}")]
    private static partial void LogStandbyLeftOut(ILogger logger, string why, Exception exception);
}

/// <summary>Reads a standby may serve, by the server that answered and why: the share the standby takes off the primary.</summary>
public sealed class StandbyReadMetrics(IMeterFactory meterFactory)
{
    public const string Standby = "standby";
    public const string Primary = "primary";

    private readonly Counter<long> _reads = meterFactory.Create(TelemetryNames.Database)
        .CreateCounter<long>("jiraexport.standby_reads", description: "Reads a standby may serve, by the server that answered.");

    public void Read(string server, string reason) =>
        _reads.Add(1, new KeyValuePair<string, object?>("server", server), new KeyValuePair<string, object?>("reason", reason));
}
