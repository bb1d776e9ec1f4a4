namespace JiraExport.Api.Contracts;

/// <summary>
/// Where Jira sends a connection's events and whether they arrive: paste <paramref name="Url"/> into Jira's admin webhook
/// (System → WebHooks) with the secret <c>PUT …/webhook</c> answered. <paramref name="LastDeliveryAt"/> is when the last
/// signed delivery arrived. An OAuth connection needs no pasting: the Worker registers a dynamic webhook in Jira for it
/// (<paramref name="Dynamic"/>, null for other connections).
/// </summary>
public sealed record JiraWebhookResponse(string Url, bool SecretSet, DateTimeOffset? LastDeliveryAt, DynamicJiraWebhookResponse? Dynamic);

/// <summary>
/// The dynamic webhook registered in Jira for an OAuth connection: its id (null until registered), when it expires (it is
/// refreshed long before), when it was last registered or refreshed, and why that failed, if it did.
/// </summary>
public sealed record DynamicJiraWebhookResponse(long? Id, DateTimeOffset? ExpiresAt, DateTimeOffset? AttemptedAt, string? Error);

/// <summary>A new webhook secret, shown this once: Jira signs each delivery with it in <paramref name="SignatureHeader"/>.</summary>
public sealed record JiraWebhookSecretResponse(string Url, string Secret, string SignatureHeader);
