using JiraExport.Core.Jira;
using JiraExport.Worker.Extensions;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Connections;

/// <summary>
/// Checks every active tenant's connections in turn, oldest check first, so a node that dies is noticed (and its
/// health change becomes an event) even while nobody syncs or exports.
/// </summary>
internal sealed partial class ConnectionHealthMonitor(
    IServiceScopeFactory scopes, IOptions<ConnectionHealthOptions> options, TimeProvider timeProvider, ILogger<ConnectionHealthMonitor> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    // Several Workers poll independently; a connection checked twice in a round costs two server-info calls.
    protected override TimeSpan Interval => options.Value.Interval / 2;

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ForEachDueRowAsync(
        $"SELECT tenant_id AS \"TenantId\", connection_id AS \"Id\" FROM connections_due_for_health_check({Clock.GetUtcNow() - options.Value.Interval}, {options.Value.BatchSize})",
        async (services, connection, ct) =>
        {
            var report = await services.GetRequiredService<ConnectionHealthChecker>().CheckAsync(connection.Id, ct);
            LogChecked(logger, connection.Id, report?.Status);
        },
        cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} is {Status}")]
    private static partial void LogChecked(ILogger logger, Guid connectionId, string? status);
}
