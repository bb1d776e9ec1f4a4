using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Connections;

/// <summary>
/// Checks every active tenant's connections in turn, oldest check first, so a node that dies is noticed (and its
/// health change becomes an event) even while nobody syncs or exports.
/// </summary>
internal sealed partial class ConnectionHealthMonitor(
    IServiceScopeFactory scopes, IOptions<ConnectionHealthOptions> options, TimeProvider timeProvider, ILogger<ConnectionHealthMonitor> logger)
    : PeriodicService(timeProvider, logger)
{
    // Several Workers poll independently; a connection checked twice in a round costs two server-info calls.
    protected override TimeSpan Interval => options.Value.Interval / 2;

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => CheckDueConnectionsAsync(cancellationToken);

    private async Task CheckDueConnectionsAsync(CancellationToken cancellationToken)
    {
        List<DueConnection> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            var checkedBefore = Clock.GetUtcNow() - options.Value.Interval;
            due = await db.Database
                .SqlQuery<DueConnection>($"SELECT tenant_id AS \"TenantId\", connection_id AS \"ConnectionId\" FROM connections_due_for_health_check({checkedBefore}, {options.Value.BatchSize})")
                .ToListAsync(cancellationToken);
        }

        foreach (var connection in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(connection.TenantId);
            var report = await scope.ServiceProvider.GetRequiredService<ConnectionHealthChecker>().CheckAsync(connection.ConnectionId, cancellationToken);
            LogChecked(logger, connection.ConnectionId, report?.Status);
        }
    }

    private sealed class DueConnection
    {
        public Guid TenantId { get; init; }
        public Guid ConnectionId { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} is {Status}")]
    private static partial void LogChecked(ILogger logger, Guid connectionId, string? status);
}
