using System.Diagnostics;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>One node's answer to <c>/serverInfo</c>: <c>up</c>, <c>slow</c> or <c>down</c>, with what went wrong.</summary>
public sealed record NodeHealthReport(string BaseUrl, string Status, int? LatencyMs, string? Version, string? Error);

public sealed record ConnectionHealthReport(
    string Status, DateTimeOffset CheckedAt, IReadOnlyList<NodeHealthReport> Nodes, DateTimeOffset? RateLimitedUntil);

/// <summary>The event written when a connection's health changes (aggregate <c>connection</c>).</summary>
public sealed record ConnectionHealthChanged(Guid TenantId, Guid ConnectionId, long Sequence, string From, string To, ConnectionHealthReport Report);

/// <summary>
/// Asks every node of a connection for its server info, in parallel, and rates the connection: healthy (every node
/// answers in time), degraded (some node is down or slow, or Jira is rate-limiting us), down (no node answers). The
/// result is stored on the connection, and a change of rating is a domain event.
/// </summary>
public sealed class ConnectionHealthChecker(
    JiraExportDbContext db,
    JiraClient jira,
    JiraSiteResolver sites,
    JiraRateGate rateGate,
    DomainEventWriter events,
    IOptions<JiraClientOptions> options,
    TimeProvider timeProvider)
{
    public const string EventAggregate = "connection";
    public const string HealthChangedEvent = "health-changed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Checks the connection now; null when the tenant has no such connection.</summary>
    public async Task<ConnectionHealthReport?> CheckAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        JiraConnection? connection;
        await using (var read = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            connection = await db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
            await read.CommitAsync(cancellationToken);
        }

        if (connection is null)
        {
            return null;
        }

        JiraSite site;
        try
        {
            site = await sites.ResolveAsync(connection, cancellationToken);
        }
        catch (JiraException ex)
        {
            // An OAuth grant that can no longer be refreshed: no node can be asked anything.
            return await StoreAsync(connectionId, new ConnectionHealthReport(Name(ConnectionHealth.Down), timeProvider.GetUtcNow(),
                [new NodeHealthReport(connection.BaseUrl, "down", null, null, ex.Message)], null), ConnectionHealth.Down, cancellationToken);
        }

        var nodes = await Task.WhenAll(site.Nodes.Select(node => ProbeAsync(site, node, cancellationToken)));
        var pausedUntil = site.Nodes.Select(rateGate.PausedUntil).Max();
        var health = nodes.All(n => n.Status == "down") ? ConnectionHealth.Down
            : nodes.All(n => n.Status == "up") && pausedUntil is null ? ConnectionHealth.Healthy
            : ConnectionHealth.Degraded;
        var report = new ConnectionHealthReport(Name(health), timeProvider.GetUtcNow(), nodes, pausedUntil);
        return await StoreAsync(connectionId, report, health, cancellationToken);
    }

    public static string Name(ConnectionHealth health) => health.ToString().ToLowerInvariant();

    /// <summary>Keeps the report on the connection; a change of rating is a domain event in the same transaction.</summary>
    private async Task<ConnectionHealthReport> StoreAsync(
        Guid connectionId, ConnectionHealthReport report, ConnectionHealth health, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await db.JiraConnections.SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (stored is null)
        {
            return report;
        }

        var previous = stored.Health;
        stored.Health = health;
        stored.HealthCheckedAt = report.CheckedAt;
        stored.HealthReport = JsonSerializer.Serialize(report, Json);
        if (previous != health)
        {
            await events.AppendAsync(new EventSubject(stored.TenantId, EventAggregate, stored.Id, stored.Id), HealthChangedEvent,
                sequence => new ConnectionHealthChanged(stored.TenantId, stored.Id, sequence, Name(previous), Name(health), report), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return report;
    }

    private async Task<NodeHealthReport> ProbeAsync(JiraSite site, Uri node, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var info = await jira.GetServerInfoAsync(site, node, cancellationToken);
            var latency = (int)stopwatch.ElapsedMilliseconds;
            var status = stopwatch.Elapsed > options.Value.SlowNodeThreshold ? "slow" : "up";
            return new NodeHealthReport(node.ToString().TrimEnd('/'), status, latency, info.Version, null);
        }
        catch (JiraException ex)
        {
            return new NodeHealthReport(node.ToString().TrimEnd('/'), "down", null, null, ex.Message);
        }
    }
}
