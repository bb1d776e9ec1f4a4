using System.Text.Json;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>One delivery of a tenant's webhook: what was sent and how the receiver answered; a replay sends it again.</summary>
public static class WebhookDeliveriesApi
{
    public static IEndpointRouteBuilder MapWebhookDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("webhook-deliveries").WithTags("Webhooks").RequireTenant()
            // What a subscription sends, and a delivery holds, is export and sync data: readers of it only.
            .RequireAuthorization(Scopes.WebhooksManage).RequireAuthorization(Scopes.ExportsRead);
        api.MapGet("/{id:guid}", GetWebhookDelivery)
            .WithName("GetWebhookDelivery")
            .WithSummary("A delivery: the body sent, its attempts and the receiver's last answer");
        api.MapPost("/{id:guid}/replay", ReplayWebhookDelivery)
            .WithName("ReplayWebhookDelivery")
            .WithSummary("Send a delivered or failed delivery again, under the same webhook-id, with a fresh schedule of retries");
        return app;
    }

    public static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> GetWebhookDelivery(
        Guid id, JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is { } delivery
            ? TypedResults.Ok(ToResponse(delivery, withPayload: true))
            : NotFoundProblem(id);

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> ReplayWebhookDelivery(
        Guid id, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null)
        {
            return NotFoundProblem(id);
        }

        if (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            return TypedResults.Problem(title: "Delivery still pending",
                detail: $"Delivery {id} is still being sent (next attempt {delivery.NextAttemptAt:u}); replay it once it is delivered or failed.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        if (!subscription.Enabled && delivery.EventId is not null)
        {
            return TypedResults.Problem(title: "Subscription disabled",
                detail: $"Webhook subscription {subscription.Id} is disabled ({subscription.DisabledReason}); enable it first.",
                statusCode: StatusCodes.Status409Conflict);
        }

        delivery.Replay(timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/webhook-deliveries/{delivery.Id}", ToResponse(delivery, withPayload: false));
    }

    internal static WebhookDeliveryResponse ToResponse(WebhookDelivery d, bool withPayload)
    {
        JsonElement? payload = null;
        if (withPayload)
        {
            using var document = JsonDocument.Parse(d.Payload);
            payload = document.RootElement.Clone();
        }

        return new WebhookDeliveryResponse(d.Id, d.SubscriptionId, d.EventId, d.EventType, d.Status.ToString().ToLowerInvariant(), d.Attempts,
            d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastLatencyMs, d.LastResponse, d.CreatedAt, d.DeliveredAt, payload);
    }

    private static ProblemHttpResult NotFoundProblem(Guid id) => TypedResults.Problem(
        title: "Webhook delivery not found",
        detail: $"No webhook delivery {id} exists in this tenant.",
        statusCode: StatusCodes.Status404NotFound);
}
