using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;

namespace JiraExport.Api.Contracts;

/// <summary>
/// Where to send which events. <paramref name="EventTypes"/>: one or more of <c>export.completed</c>, <c>export.failed</c>,
/// <c>export.cancelled</c>, <c>sync.completed</c>, <c>sync.failed</c>, <c>connection.health-changed</c>,
/// <c>issue.changed</c>, <c>issue.deleted</c>. Filters, each empty or left out for all: <paramref name="ConnectionIds"/>
/// (events about these connections), <paramref name="Templates"/> (exports with these templates; other events pass),
/// <paramref name="ProjectKeys"/> (issues of these projects; other events pass). On an update,
/// <paramref name="Enabled"/> true enables a disabled subscription again, false stops deliveries; left out, it stays.
/// </summary>
public sealed record WebhookSubscriptionRequest(
    string? Url,
    string? Description,
    IReadOnlyList<string>? EventTypes,
    IReadOnlyList<Guid>? ConnectionIds,
    IReadOnlyList<string>? Templates,
    bool? Enabled,
    IReadOnlyList<string>? ProjectKeys = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        WebhookSubscriptionsApi.Validate(this).AsValidationResults();
}

/// <summary>
/// A subscription; <paramref name="DisabledReason"/> says why deliveries stopped. While a rotated secret still signs,
/// <paramref name="PreviousSecretExpiresAt"/> says until when.
/// </summary>
public sealed record WebhookSubscriptionResponse(
    Guid Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<Guid> ConnectionIds,
    IReadOnlyList<string> Templates,
    IReadOnlyList<string> ProjectKeys,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The signing secret appears here and after a rotation only; verify deliveries with any Standard Webhooks library.</summary>
public sealed record CreatedWebhookSubscriptionResponse(WebhookSubscriptionResponse Subscription, string Secret);

/// <summary>The new secret; the one before it also signs each delivery until <paramref name="PreviousSecretExpiresAt"/>.</summary>
public sealed record WebhookSecretResponse(string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>
/// One event on its way to one subscription, with its last attempt: <paramref name="Status"/> is <c>pending</c>,
/// <c>delivered</c> or <c>failed</c>; <paramref name="LastResponse"/> is the start of the receiver's answer, or why there
/// was none. <paramref name="Payload"/>, the body sent, is in the single delivery's answer only.
/// </summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid SubscriptionId,
    Guid? EventId,
    string EventType,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    int? LastLatencyMs,
    string? LastResponse,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    JsonElement? Payload);
