using JiraExport.Core.Persistence;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Retention;

/// <summary>
/// Keeps a partition ready for this month and the next three of the event log and the audit trail, which are
/// partitioned by month (<c>ensure_monthly_partitions()</c>), at start and every <see cref="MonthlyPartitionOptions.Interval"/>.
/// A month whose rows went to the default partition (no Worker ran for months) stays there, with a warning.
/// </summary>
internal sealed partial class MonthlyPartitionService(
    IServiceScopeFactory scopes, IOptions<MonthlyPartitionOptions> options, TimeProvider timeProvider, ILogger<MonthlyPartitionService> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var months = await scope.ServiceProvider.GetRequiredService<JiraExportDbContext>().Database
            .SqlQuery<PartitionedMonths>($"SELECT table_name AS \"Table\", created AS \"Created\", blocked AS \"Blocked\" FROM ensure_monthly_partitions()")
            .ToListAsync(cancellationToken);
        foreach (var table in months)
        {
            if (table.Created > 0)
            {
                LogCreated(logger, table.Table, table.Created);
            }

            if (table.Blocked > 0)
            {
                LogBlocked(logger, table.Table, table.Blocked);
            }
        }
    }

    private sealed record PartitionedMonths(string Table, int Created, int Blocked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Made {Created} monthly partitions of {Table}")]
    private static partial void LogCreated(ILogger logger, string table, int created);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Blocked} coming months of {Table} already have rows in its default partition, so they get no partition of their own")]
    private static partial void LogBlocked(ILogger logger, string table, int blocked);
}
