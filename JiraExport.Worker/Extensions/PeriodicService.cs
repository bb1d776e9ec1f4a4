using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Extensions;

/// <summary>A row some tenant owns that a round found due: the tenant, and the row's id (the tenant's own for tenant-wide work).</summary>
internal sealed record DueRow(Guid TenantId, Guid Id);

/// <summary>
/// A background job that runs one round at start and then every <see cref="Interval"/>. A failed round is logged and
/// the next one tries again, so each round must leave nothing half done.
/// </summary>
internal abstract partial class PeriodicService(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => timeProvider;

    /// <summary>For a round that works outside any one tenant (a table without tenants).</summary>
    protected IServiceScopeFactory Scopes => scopes;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunRoundAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(logger, GetType().Name, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One due row at a time (see the overload).</summary>
    protected Task ForEachDueRowAsync(
        FormattableString dueQuery, Func<IServiceProvider, DueRow, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ForEachDueRowAsync(dueQuery, parallelism: 1, work, cancellationToken);

    /// <summary>
    /// Asks a cross-tenant function which rows are due (<paramref name="dueQuery"/> selects <c>"TenantId"</c> and <c>"Id"</c>),
    /// then runs <paramref name="work"/> for each in a scope of its own with its tenant set, so row-level security applies;
    /// up to <paramref name="parallelism"/> rows at once. A row that fails is logged and left for the next round; the rows
    /// after it still run.
    /// </summary>
    protected async Task ForEachDueRowAsync(
        FormattableString dueQuery, int parallelism, Func<IServiceProvider, DueRow, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        List<DueRow> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<JiraExportDbContext>().Database
                .SqlQuery<DueRow>(dueQuery)
                .ToListAsync(cancellationToken);
        }

        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (row, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(row.TenantId);
                try
                {
                    await work(scope.ServiceProvider, row, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    LogRowFailed(logger, GetType().Name, row.TenantId, row.Id, ex);
                }
            });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of {Service} failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} failed on row {Id} of tenant {TenantId}; the next round tries again")]
    private static partial void LogRowFailed(ILogger logger, string service, Guid tenantId, Guid id, Exception exception);
}
