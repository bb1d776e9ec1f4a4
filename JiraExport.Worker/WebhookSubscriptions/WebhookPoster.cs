using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JiraExport.Core.Domain;
using JiraExport.Core.Webhooks;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace JiraExport.Worker.WebhookSubscriptions;

/// <summary>What one attempt got: the receiver's status (null when it did not answer), how long it took, what it said.</summary>
public sealed record WebhookAttempt(int? StatusCode, int LatencyMs, string? Response);

/// <summary>
/// Makes one attempt of a delivery, as Standard Webhooks says: <c>webhook-id</c>, <c>webhook-timestamp</c> and a
/// <c>webhook-signature</c> from every secret that signs now (two while a rotation overlaps), over the exact body sent.
/// The client connects only to public addresses and follows no redirect.
/// </summary>
public sealed class WebhookPoster(
    IHttpClientFactory clients, WebhookSecrets secrets, IOptions<WebhookDeliveryOptions> options, TimeProvider timeProvider)
{
    public const string HttpClientName = "webhook-subscriptions";

    private const int ResponseExcerptBytes = 4096;

    public async Task<WebhookAttempt> PostAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var id = delivery.Id.ToString();
        List<string> signatures;
        try
        {
            signatures = [.. subscription.SigningSecrets(now)
                .Select(stored => new StandardWebhook(secrets.Unprotect(subscription.TenantId, stored)).Sign(id, now, delivery.Payload))];
        }
        catch (CryptographicException)
        {
            return new WebhookAttempt(null, 0, "Not sent: the signing secret cannot be read (its key is gone); rotate the secret.");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", string.Join(' ', signatures));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            return new WebhookAttempt((int)response.StatusCode, Elapsed(stopwatch), excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, Elapsed(stopwatch), $"No answer within {options.Value.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            // The network guard's refusal of a private address arrives here too, with its reason.
            return new WebhookAttempt(null, Elapsed(stopwatch), ex.InnerException?.Message ?? ex.Message);
        }
    }

    /// <summary>
    /// The start of the answer only (a receiver could send gigabytes), as plain text: control characters (NUL, line
    /// breaks) become spaces, so what the receiver says can neither break the row that keeps it nor forge a log line.
    /// </summary>
    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ResponseExcerptBytes];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += count;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read).ToCharArray();
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.IsControl(text[i]) ? ' ' : text[i];
        }

        return new string(text).Excerpt(WebhookDelivery.MaxResponseLength);
    }

    private static int Elapsed(Stopwatch stopwatch) => (int)Math.Min(stopwatch.ElapsedMilliseconds, int.MaxValue);
}
