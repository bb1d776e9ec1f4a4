using System.Diagnostics.Metrics;
using JiraExport.Core.Tenancy;
using JiraExport.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

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

        _dataSource = new NpgsqlDataSourceBuilder(connectionString).BuildMultiHost().WithTargetSession(TargetSessionAttributes.PreferStandby);
        Contexts = new PooledDbContextFactory<JiraExportDbContext>(new DbContextOptionsBuilder<JiraExportDbContext>()
            .UseNpgsql(_dataSource).AddInterceptors(tenantInterceptor).Options);
    }

    public IDbContextFactory<JiraExportDbContext>? Contexts { get; }

    public ValueTask DisposeAsync() => _dataSource?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// Reads of the synced Jira data where staleness is acceptable (analytics): answered by a standby that has replayed the
/// tenant's last change (<see cref="ReplicationWatermarks"/>), waiting up to <see cref="StandbyOptions.MaxWait"/> for it,
/// and by the primary otherwise. What people write (definitions, calendars, exports) is always read from the primary.
/// </summary>
public sealed class StandbyReads(
    JiraExportDbContext primary, TenantContext tenant, StandbyDatabase standby, ReplicationWatermarks watermarks,
    IOptions<StandbyOptions> options, StandbyReadMetrics metrics, TimeProvider timeProvider)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public async Task<T> ReadAsync<T>(Func<JiraExportDbContext, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (standby.Contexts is null || tenant.TenantId is not { } tenantId)
        {
            return await FromPrimaryAsync(read, "no standby", cancellationToken);
        }

        await using var db = standby.Contexts.CreateDbContext().ActFor(tenant);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var server = await CatchUpAsync(db, tenantId, cancellationToken);
            if (server is not null)
            {
                var result = await read(db, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                metrics.Read(server, server == StandbyReadMetrics.Standby ? "caught up" : "no standby answered");
                return result;
            }
        }

        return await FromPrimaryAsync(read, "standby behind", cancellationToken);
    }

    /// <summary>
    /// Which server the transaction is on, once it has replayed the tenant's last change; null when a standby has not
    /// within the wait. A primary (the standby was down) is always caught up.
    /// </summary>
    private async Task<string?> CatchUpAsync(JiraExportDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var needed = await watermarks.ReadAsync(tenantId, cancellationToken);
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
