using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Worker.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.WebhookSubscriptions;

/// <summary>
/// Sends the deliveries that are due, several at once. A delivery is claimed for the length of one attempt (another
/// Worker skips it; a crash leaves it due again once the claim runs out), sent outside any transaction, and its outcome
/// recorded: delivered, due again after the next wait of the schedule, or, when the schedule is used up, failed, and its
/// subscription disabled with the reason and its other pending deliveries failed with it. A test send is tried once.
/// </summary>
internal sealed partial class WebhookSender(
    IServiceScopeFactory scopes, IOptions<WebhookDeliveryOptions> options, TimeProvider timeProvider, ILogger<WebhookSender> logger)
    : PeriodicService(scopes, timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunRoundAsync(CancellationToken cancellationToken) =>
        ForEachDueRowAsync(
            $"SELECT tenant_id AS \"TenantId\", id AS \"Id\" FROM webhook_deliveries_due({Clock.GetUtcNow()}, {options.Value.BatchSize}, {options.Value.PerTenant})",
            options.Value.Parallelism, SendAsync, cancellationToken);

    private async Task SendAsync(IServiceProvider services, DueRow due, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<JiraExportDbContext>();
        var claimed = await db.InTransactionAsync(ct => ClaimAsync(db, due.Id, ct), cancellationToken);
        if (claimed is not var (delivery, subscription))
        {
            return;
        }

        var attempt = await services.GetRequiredService<WebhookPoster>().PostAsync(subscription, delivery, cancellationToken);
        var retryAfter = RetryDelay(delivery);
        await db.InTransactionAsync(async ct =>
        {
            var now = Clock.GetUtcNow();
            delivery.RecordAttempt(attempt.StatusCode, attempt.LatencyMs, attempt.Response, retryAfter, now);
            if (delivery is { Status: WebhookDeliveryStatus.Failed, EventId: not null })
            {
                var reason = $"Disabled at {now:u}: all {delivery.Attempts} attempts to deliver {delivery.EventType} (delivery {delivery.Id}) " +
                    $"failed; the last: {Describe(attempt)}. Fix the receiver, enable the subscription and replay what failed.";
                var failing = await db.WebhookSubscriptions.SingleAsync(s => s.Id == subscription.Id, ct);
                failing.Disable(reason, now);
                await db.WebhookDeliveries
                    .Where(d => d.SubscriptionId == subscription.Id && d.Status == WebhookDeliveryStatus.Pending && d.Id != delivery.Id)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
                        .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                        .SetProperty(d => d.LastResponse, "Not sent: the subscription was disabled."), ct);
                LogDisabled(logger, subscription.TenantId, subscription.Id, reason);
            }

            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>The delivery, if it is still due and no one else has it, with its subscription; claimed for one attempt.</summary>
    private async Task<(WebhookDelivery, WebhookSubscription)?> ClaimAsync(JiraExportDbContext db, Guid deliveryId, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var delivery = await db.WebhookDeliveries
            .FromSql($"SELECT * FROM webhook_deliveries WHERE id = {deliveryId} FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        if (delivery is not { Status: WebhookDeliveryStatus.Pending } || delivery.NextAttemptAt > now)
        {
            return null;
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        if (!subscription.Enabled && delivery.EventId is not null)
        {
            delivery.GiveUp();
            delivery.LastResponse = "Not sent: the subscription is disabled.";
        }
        else
        {
            // Long enough for the attempt to end; a Worker that dies meanwhile leaves the delivery due again after it.
            delivery.NextAttemptAt = now + options.Value.Timeout + TimeSpan.FromSeconds(30);
        }

        await db.SaveChangesAsync(cancellationToken);
        return delivery.Status == WebhookDeliveryStatus.Pending ? (delivery, subscription) : null;
    }

    /// <summary>The wait after this attempt if it fails, or null when the schedule is used up (a test send has none).</summary>
    private TimeSpan? RetryDelay(WebhookDelivery delivery)
    {
        var delays = options.Value.RetryDelays;
        return delivery.EventId is null || delivery.Attempts >= delays.Length
            ? null
            : delays[delivery.Attempts] * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static string Describe(WebhookAttempt attempt) =>
        attempt.StatusCode is { } status ? $"HTTP {status}" + (attempt.Response is { Length: > 0 } r ? $" \"{Truncate(r, 200)}\"" : "") : attempt.Response ?? "no answer";

    private static string Truncate(string text, int length) => text.Length > length ? text.Excerpt(length) + "…" : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} of tenant {TenantId}: {Reason}")]
    private static partial void LogDisabled(ILogger logger, Guid tenantId, Guid subscriptionId, string reason);
}
