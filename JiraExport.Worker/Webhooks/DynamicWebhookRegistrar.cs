using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Webhooks;

/// <summary>
/// Keeps a dynamic webhook registered for each OAuth connection (Jira Cloud sends an OAuth app's events only to those):
/// registered with the connection's sync scope as its JQL filter, or with its projects where Jira does not take that
/// JQL as a filter; registered again when the scope changes, with a new key in its URL; refreshed well before its 30 days
/// run out. Each connection is claimed before Jira is called, so two Workers never register it twice. A failure is kept on
/// the connection, shown by its webhook API, and tried again later.
/// </summary>
internal sealed partial class DynamicWebhookRegistrar(
    IServiceScopeFactory scopes, IOptions<DynamicWebhookOptions> options, TimeProvider timeProvider, ILogger<DynamicWebhookRegistrar> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunRoundAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PublicBaseUrl is not { } publicBaseUrl)
        {
            return Task.CompletedTask;
        }

        var now = Clock.GetUtcNow();
        return ForEachDueRowAsync(
            $"SELECT tenant_id AS \"TenantId\", connection_id AS \"Id\" FROM connections_due_for_dynamic_webhooks({now + options.Value.RefreshWhenLeft}, {now - options.Value.RetryAfter}, {options.Value.BatchSize})",
            (services, connection, ct) => KeepRegisteredAsync(services, connection.Id, publicBaseUrl, ct),
            cancellationToken);
    }

    private async Task KeepRegisteredAsync(IServiceProvider services, Guid connectionId, Uri publicBaseUrl, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<JiraExportDbContext>();
        var now = Clock.GetUtcNow();
        var retryBefore = now - options.Value.RetryAfter;
        // The claim: whoever stamps the attempt first handles the connection this round.
        var connection = await db.InTransactionAsync(async ct =>
            await db.JiraConnections.Where(c => c.Id == connectionId
                                                && (c.DynamicWebhookAttemptedAt == null || c.DynamicWebhookAttemptedAt < retryBefore))
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.DynamicWebhookAttemptedAt, now), ct) == 1
                ? await db.JiraConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId, ct)
                : null, cancellationToken);
        if (connection is null)
        {
            return;
        }

        var jira = services.GetRequiredService<JiraClient>();
        var scope = connection.SyncScopeJql ?? SyncScopes.EveryProject;
        var id = connection.DynamicWebhookId;
        var expiresAt = connection.DynamicWebhookExpiresAt;
        var keyHash = connection.DynamicWebhookKeyHash;
        var newKey = false;
        string? error = null;
        try
        {
            var site = await services.GetRequiredService<JiraSiteResolver>().ResolveAsync(connection, cancellationToken);
            if (id is { } registered && connection.DynamicWebhookScope == scope)
            {
                try
                {
                    expiresAt = await jira.RefreshWebhooksAsync(site, [registered], cancellationToken);
                }
                catch (JiraException ex) when (ex.Kind == JiraFailureKind.BadRequest)
                {
                    // Gone from Jira (expired, or removed by an admin): registered anew.
                    id = null;
                }
            }
            else if (id is { } old)
            {
                await jira.DeleteWebhooksAsync(site, [old], cancellationToken);
                id = null;
            }

            if (id is null)
            {
                var (key, hash) = DynamicWebhookKeys.Create();
                var url = new Uri(publicBaseUrl, $"api/v1/webhooks/jira/{connectionId}?{DynamicWebhookKeys.QueryName}={key}");
                (id, error) = await RegisterAsync(jira, site, url, scope, cancellationToken);
                expiresAt = id is null ? null : now + TimeSpan.FromDays(30);
                newKey = id is not null;
                keyHash = newKey ? hash : keyHash;
            }
        }
        catch (JiraException ex)
        {
            error = ex.Message;
        }

        await db.InTransactionAsync(ct => db.JiraConnections.Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(c => c
                .SetProperty(x => x.DynamicWebhookId, id)
                .SetProperty(x => x.DynamicWebhookExpiresAt, expiresAt)
                .SetProperty(x => x.DynamicWebhookKeyHash, keyHash)
                .SetProperty(x => x.DynamicWebhookScope, error == null ? scope : connection.DynamicWebhookScope)
                .SetProperty(x => x.DynamicWebhookError, error == null ? null : error.Excerpt(500)), ct), cancellationToken);
        if (newKey)
        {
            // The Api instances check deliveries against the key they cached: the new one must be read.
            await services.GetRequiredService<JiraWebhookTargets>().ForgetAsync(connectionId, cancellationToken);
        }

        LogKept(logger, connectionId, id, expiresAt, error);
    }

    /// <summary>
    /// Registers with the scope as the filter; where Jira does not take it (it filters on a few fields only) or there is
    /// none, with the connection's projects: the Worker reads each change back within the scope anyway.
    /// </summary>
    private static async Task<(long? Id, string? Error)> RegisterAsync(JiraClient jira, JiraSite site, Uri url, string scope, CancellationToken cancellationToken)
    {
        if (scope.Length > 0 && await jira.RegisterWebhookAsync(site, url, scope, cancellationToken) is { Id: { } created })
        {
            return (created, null);
        }

        var projects = await jira.GetProjectsAsync(site, cancellationToken);
        if (projects.Count == 0)
        {
            return (null, "The connection sees no project to follow.");
        }

        var (id, refusal) = await jira.RegisterWebhookAsync(site, url, SyncScopes.ToJql([.. projects.Select(p => p.Key)], null), cancellationToken);
        return (id, id is null ? $"Jira refused the webhook: {refusal}" : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dynamic webhook of connection {ConnectionId}: {WebhookId}, expires {ExpiresAt}; {Error}")]
    private static partial void LogKept(ILogger logger, Guid connectionId, long? webhookId, DateTimeOffset? expiresAt, string? error);
}
