namespace JiraExport.Core.Domain;

/// <summary>
/// One webhook delivery Jira made to a connection, kept as it arrived (the raw body) before it was answered: processing
/// is asynchronous, and a retry of the same delivery (same <see cref="Identifier"/>) is recognised and has no second effect.
/// </summary>
public sealed class JiraWebhookDelivery
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }

    /// <summary><c>X-Atlassian-Webhook-Identifier</c>, which Jira keeps across retries; without one, a hash of the body.</summary>
    public required string Identifier { get; set; }

    /// <summary><c>webhookEvent</c>, such as <c>jira:issue_updated</c>.</summary>
    public required string Event { get; set; }

    /// <summary>The event's <c>timestamp</c> (when it happened in Jira), which orders deliveries that arrive out of order.</summary>
    public DateTimeOffset? OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The body exactly as received (its signature was checked over these bytes).</summary>
    public required byte[] Body { get; set; }

    /// <summary>SHA-256 of <see cref="Body"/>: the same signed bytes sent again under another identifier are the same delivery.</summary>
    public required byte[] BodySha256 { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>What processing did: <c>deleted</c>, <c>synced</c>, <c>ignored</c>…</summary>
    public string? Outcome { get; set; }
}
