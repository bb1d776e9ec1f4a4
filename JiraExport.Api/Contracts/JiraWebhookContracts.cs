namespace JiraExport.Api.Contracts;

/// <summary>
/// Where Jira sends a connection's events and whether they arrive: paste <paramref name="Url"/> into Jira's admin webhook
/// (System → WebHooks) with the secret <c>PUT …/webhook</c> answered. <paramref name="LastDeliveryAt"/> is when the last
/// signed delivery arrived.
/// </summary>
public sealed record JiraWebhookResponse(string Url, bool SecretSet, DateTimeOffset? LastDeliveryAt);

/// <summary>A new webhook secret, shown this once: Jira signs each delivery with it in <paramref name="SignatureHeader"/>.</summary>
public sealed record JiraWebhookSecretResponse(string Url, string Secret, string SignatureHeader);
