using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record ReceivedMail(string Id, string To, string Subject, string Text);

/// <summary>
/// What the real SMTP server (smtp4dev) received, read through its API. Each test mails addresses of its own, so tests
/// in parallel never read each other's mail.
/// </summary>
public static partial class Mailbox
{
    private static readonly HttpClient Api = new() { BaseAddress = TestEnvironment.SmtpApi, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The mails delivered to <paramref name="to"/> so far, oldest first.</summary>
    public static async Task<List<ReceivedMail>> ReadAllAsync(string to, CancellationToken cancellationToken)
    {
        var page = await Api.GetFromJsonAsync<MessagePage>(
            $"/api/messages?searchTerms={Uri.EscapeDataString(to)}&pageSize=200&sortColumn=receivedDate&sortIsDescending=false",
            JsonSerializerOptions.Web, cancellationToken);
        var mails = new List<ReceivedMail>();
        foreach (var summary in page!.Results.Where(m => m.To.Any(address => string.Equals(address, to, StringComparison.OrdinalIgnoreCase))))
        {
            var text = await Api.GetStringAsync($"/api/messages/{summary.Id}/plaintext", cancellationToken);
            mails.Add(new ReceivedMail(summary.Id, to, summary.Subject, text));
        }

        return mails;
    }

    /// <summary>Waits for the <paramref name="count"/>th mail to <paramref name="to"/> (the Worker sends through the outbox).</summary>
    public static async Task<ReceivedMail> WaitForMailAsync(string to, CancellationToken cancellationToken, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        List<ReceivedMail> mails;
        do
        {
            mails = await ReadAllAsync(to, cancellationToken);
            if (mails.Count >= count)
            {
                return mails[count - 1];
            }

            await Task.Delay(200, cancellationToken);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{mails.Count} mails reached {to}, not {count}, within the wait.");
    }

    /// <summary>The file names of the mail's attachments, as the server parsed its MIME parts.</summary>
    public static async Task<List<string>> AttachmentsAsync(ReceivedMail mail, CancellationToken cancellationToken)
    {
        var message = await Api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/messages/{mail.Id}", cancellationToken);
        var names = new List<string>();
        void Walk(System.Text.Json.Nodes.JsonArray? parts)
        {
            foreach (var part in parts ?? [])
            {
                names.AddRange((part!["attachments"]?.AsArray() ?? []).Select(a => (string)a!["fileName"]!));
                Walk(part["childParts"]?.AsArray());
            }
        }

        Walk(message!["parts"]?.AsArray());
        return names;
    }

    /// <summary>The token a mail carries for the API (<c>"token": "…"</c>).</summary>
    public static string TokenIn(ReceivedMail mail) =>
        TokenLine().Match(mail.Text) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"No token in the mail '{mail.Subject}':\n{mail.Text}");

    [GeneratedRegex("\"token\": \"([^\"]+)\"")]
    private static partial Regex TokenLine();

    private sealed record MessagePage(List<MessageSummary> Results);

    private sealed record MessageSummary(string Id, List<string> To, string Subject);
}
