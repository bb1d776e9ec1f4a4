using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>What Jira's admin and Jira itself do with a connection's webhook: take a secret, sign and send deliveries.</summary>
public static class JiraWebhookClient
{
    /// <summary><c>sha256=&lt;hex HMAC of the body&gt;</c>, as Jira signs with a webhook's secret.</summary>
    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A new secret for the connection's webhook (<c>PUT …/webhook</c>), as the answer shows it once.</summary>
    public static async Task<string> RotateWebhookSecretAsync(this HttpClient client, Guid connectionId, CancellationToken cancellationToken)
    {
        using var response = await client.PutAsync($"/api/v1/connections/{connectionId}/webhook", content: null, cancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync(cancellationToken));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.Equal("X-Hub-Signature", answer.GetProperty("signatureHeader").GetString());
        return answer.GetProperty("secret").GetString()!;
    }

    /// <summary>Jira's real <c>jira:issue_updated</c> payload, stamped now, about the given issue with the given summary.</summary>
    public static byte[] IssueUpdated(long issueId, string key, string summary)
    {
        var payload = JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "JiraWebhooks", "cloud-jira_issue_updated-status-resolved.json")))!;
        payload["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        payload["issue"]!["id"] = issueId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        payload["issue"]!["key"] = key;
        payload["issue"]!["fields"]!["summary"] = summary;
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    /// <summary>
    /// Edits an issue in the simulator and tells the connection's intake as Jira would: a signed <c>jira:issue_updated</c>
    /// under a new identifier, accepted.
    /// </summary>
    public static async Task EditAndDeliverAsync(
        this JiraExportSystem system, TestTenant tenant, StoredIssue issue, string secret, string summary, CancellationToken cancellationToken)
    {
        await system.EditJiraIssueAsync(issue.Key, summary, cancellationToken);
        var body = IssueUpdated(issue.Id, issue.Key, summary);
        using var anonymous = system.CreateApiClient();
        using var delivered = await anonymous.DeliverAsync(tenant.ConnectionId, body, Sign(body, secret), $"edit-{Guid.NewGuid():N}", cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, delivered.StatusCode);
    }

    /// <summary>One delivery as Jira sends it, to the intake of <paramref name="connectionId"/>, anonymous.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(
        this HttpClient anonymous, Guid connectionId, byte[] body, string? signature, string identifier, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/jira/{connectionId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Atlassian-Webhook-Identifier", identifier);
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature", signature);
        }

        return await anonymous.SendAsync(request, cancellationToken);
    }
}
