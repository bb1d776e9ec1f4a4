using System.Text.Json.Nodes;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>A subscription's delivery log, and a test send to it.</summary>
public static partial class WebhookSubscriptionsApi
{
    /// <summary>Queues one <c>webhook.test</c> delivery, sent once even to a disabled subscription: a way to check a fixed receiver.</summary>
    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> SendTestWebhook(
        Guid id, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return NotFoundProblem(id);
        }

        // One at a time: test sends in a loop to a receiver that never answers would only tie up the sender.
        if (await db.WebhookDeliveries.AnyAsync(
                d => d.SubscriptionId == id && d.EventId == null && d.Status == WebhookDeliveryStatus.Pending, cancellationToken))
        {
            return TypedResults.Problem(title: "Test send pending",
                detail: $"A test send to webhook subscription {id} has not been answered yet; see its delivery log, then try again.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var now = timeProvider.GetUtcNow();
        var delivery = new WebhookDelivery
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId!.Value,
            SubscriptionId = id,
            EventType = WebhookEventTypes.Test,
            Payload = WebhookFanOut.Body(WebhookEventTypes.Test, now, new JsonObject
            {
                ["subscriptionId"] = id,
                ["message"] = "A test from JiraExport: this receiver is reached and verifies the signature.",
            }),
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/webhook-deliveries/{delivery.Id}", WebhookDeliveriesApi.ToResponse(delivery, withPayload: false));
    }

    public static async Task<Results<Ok<ListPage<WebhookDeliveryResponse>>, ValidationProblem, ProblemHttpResult>> ListWebhookDeliveries(
        Guid id, int? limit, string? cursor, string? status, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        WebhookDeliveryStatus? wanted = null;
        if (status is not null)
        {
            if (Enum.TryParse<WebhookDeliveryStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = ["Status is pending, delivered or failed."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return NotFoundProblem(id);
        }

        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (wanted is { } statusFilter)
        {
            deliveries = deliveries.Where(d => d.Status == statusFilter);
        }

        var (page, next) = await deliveries.NewestFirstAsync(d => d.CreatedAt, d => d.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. page.Select(d => WebhookDeliveriesApi.ToResponse(d, withPayload: false))], next,
            d => ListPages.V2($"/webhook-deliveries/{d.Id}")));
    }
}
