using System.Text.Json;

namespace JiraExport.Core.Jira;

/// <summary>
/// Dynamic webhooks of an OAuth connection (Jira Cloud, API-NOTES §5.1): registered with a JQL filter, extended before
/// their 30 days run out, removed when no longer wanted. Jira answers a registration per webhook, with its id or the
/// reasons it refused it.
/// </summary>
public sealed partial class JiraClient
{
    /// <summary>The issue and comment events a connection's store follows (all a dynamic webhook can carry about issues).</summary>
    public static readonly IReadOnlyList<string> DynamicWebhookEvents =
        ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted"];

    /// <summary>Registers one webhook to <paramref name="url"/> for <paramref name="jqlFilter"/>; its id, or Jira's reasons for refusing it.</summary>
    public async Task<(long? Id, string? Refusal)> RegisterWebhookAsync(JiraSite site, Uri url, string jqlFilter, CancellationToken cancellationToken)
    {
        var answer = await SendAsync<JsonElement>(site, HttpMethod.Post, "/rest/api/3/webhook",
            new { url = url.ToString(), webhooks = new[] { new { events = DynamicWebhookEvents, jqlFilter } } }, cancellationToken);
        if (!answer.TryGetProperty("webhookRegistrationResult", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() != 1)
        {
            throw new JiraException(JiraFailureKind.Protocol, "Jira answered a webhook registration without one result for the one webhook.");
        }

        var result = results[0];
        return result.TryGetProperty("createdWebhookId", out var id) && id.TryGetInt64(out var created)
            ? (created, null)
            : (null, result.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? string.Join(" ", errors.EnumerateArray().Select(e => e.ToString()))
                : "Jira gave no reason.");
    }

    /// <summary>Extends the webhooks' life; when they now expire.</summary>
    public async Task<DateTimeOffset> RefreshWebhooksAsync(JiraSite site, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var answer = await SendAsync<JsonElement>(site, HttpMethod.Put, "/rest/api/3/webhook/refresh", new { webhookIds = ids }, cancellationToken);
        return answer.TryGetProperty("expirationDate", out var expires) && expires.TryGetInt64(out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : throw new JiraException(JiraFailureKind.Protocol, "Jira answered a webhook refresh without its expirationDate.");
    }

    /// <summary>Removes the webhooks (Jira answers 202 with no body).</summary>
    public Task DeleteWebhooksAsync(JiraSite site, IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        SendAsync<NoAnswer>(site, HttpMethod.Delete, "/rest/api/3/webhook", new { webhookIds = ids }, cancellationToken);

    /// <summary>What a call that answers no body reads.</summary>
    private sealed record NoAnswer;
}
