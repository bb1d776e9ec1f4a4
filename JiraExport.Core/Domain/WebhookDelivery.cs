namespace JiraExport.Core.Domain;

/// <summary>
/// One event on its way to one subscription: the body is fixed when the event happens, and every attempt (retries, a
/// replay) sends it under the same <c>webhook-id</c> (<see cref="Id"/>), so a receiver can drop what it already has.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>How much of a receiver's answer is kept.</summary>
    public const int MaxResponseLength = 1000;

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid SubscriptionId { get; set; }

    /// <summary>The domain event delivered; null for a test send.</summary>
    public Guid? EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The JSON body sent: <c>{"type", "timestamp", "data"}</c>.</summary>
    public required string Payload { get; set; }

    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while an attempt runs, when it counts as lost and may be made again.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public int? LastLatencyMs { get; set; }

    /// <summary>The start of the receiver's answer, or why there was none (refused address, timeout…).</summary>
    public string? LastResponse { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>An attempt ended: delivered, or due again after <paramref name="retryAfter"/>, or given up when null.</summary>
    public void RecordAttempt(int? statusCode, int latencyMs, string? response, TimeSpan? retryAfter, DateTimeOffset now)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        LastLatencyMs = latencyMs;
        LastResponse = response?.Excerpt(MaxResponseLength);
        if (statusCode is >= 200 and < 300)
        {
            Status = WebhookDeliveryStatus.Delivered;
            DeliveredAt = now;
            NextAttemptAt = null;
        }
        else if (retryAfter is { } delay)
        {
            NextAttemptAt = now + delay;
        }
        else
        {
            GiveUp();
        }
    }

    /// <summary>No more attempts (the schedule ran out, or the subscription was disabled); a replay sends it again.</summary>
    public void GiveUp()
    {
        Status = WebhookDeliveryStatus.Failed;
        NextAttemptAt = null;
    }

    /// <summary>Sent again now, with a fresh schedule of retries.</summary>
    public void Replay(DateTimeOffset now)
    {
        Status = WebhookDeliveryStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }
}

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}
