using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraExport.JiraSimulator.Endpoints;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Webhooks;

/// <summary>
/// An admin webhook of the simulated site (System → WebHooks): where Jira sends, the secret it signs with, and two test
/// knobs — each delivery sent <paramref name="Duplicates"/> more times, and held back up to <paramref name="HoldMs"/> so
/// that deliveries overtake one another.
/// </summary>
internal sealed record WebhookRegistration(Uri Url, string Secret, int Duplicates, int HoldMs)
{
    /// <summary>
    /// A dynamic webhook of an OAuth 2.0 app (<c>POST /rest/api/3/webhook</c>): its id, its app (whose client secret
    /// <see cref="Secret"/> is, for the JWT it is sent with), its events and JQL filter, and when it stops.
    /// </summary>
    public DynamicWebhook? Dynamic { get; init; }
}

internal sealed record DynamicWebhook(long Id, string ClientId, IReadOnlyList<string> Events, string Jql, Func<SeedIssue, bool> Filter, DateTimeOffset ExpiresAt);

/// <summary>
/// Sends the site's issue events to its webhooks as Jira does: the v2 representation even on Cloud, signed with
/// <c>X-Hub-Signature: sha256=&lt;hex HMAC of the body&gt;</c>, an <c>X-Atlassian-Webhook-Identifier</c> kept across retries,
/// retried on 408, 409, 425, 429, any 5xx and connection failures (a few times, quickly: a test site), never on other 4xx.
/// </summary>
internal sealed partial class WebhookDispatcher(TimeProvider timeProvider, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly Channel<Delivery> _queue = Channel.CreateUnbounded<Delivery>();
    private volatile WebhookRegistration[] _registrations = [];

    private readonly Lock _changing = new();
    private long _lastDynamicId = 10000;

    public void Register(WebhookRegistration registration)
    {
        lock (_changing)
        {
            _registrations = [.. _registrations, registration];
        }
    }

    public void Clear()
    {
        lock (_changing)
        {
            _registrations = [];
        }
    }

    public long NextDynamicId() => Interlocked.Increment(ref _lastDynamicId);

    /// <summary>The dynamic webhooks of an app, or of every app.</summary>
    public IReadOnlyList<WebhookRegistration> Dynamic(string? clientId) =>
        [.. _registrations.Where(r => r.Dynamic is { } dynamic && (clientId is null || dynamic.ClientId == clientId))];

    /// <summary>Applies <paramref name="change"/> to the app's dynamic webhooks named; answers how many it changed. A null result removes one.</summary>
    public int ChangeDynamic(string clientId, IReadOnlyCollection<long> ids, Func<WebhookRegistration, WebhookRegistration?> change)
    {
        lock (_changing)
        {
            var changed = 0;
            var kept = new List<WebhookRegistration>();
            foreach (var registration in _registrations)
            {
                if (registration.Dynamic is { } dynamic && dynamic.ClientId == clientId && ids.Contains(dynamic.Id))
                {
                    changed++;
                    if (change(registration) is { } replaced)
                    {
                        kept.Add(replaced);
                    }
                }
                else
                {
                    kept.Add(registration);
                }
            }

            _registrations = [.. kept];
            return changed;
        }
    }

    /// <summary>
    /// <c>jira:issue_created</c>, <c>jira:issue_updated</c> (with the change's changelog) or <c>jira:issue_deleted</c>
    /// about <paramref name="issue"/> as it is now (as it was, for a deletion).
    /// </summary>
    public void IssueChanged(string webhookEvent, SeedIssue issue, ApiContext site, IssueStore store)
    {
        var registrations = _registrations;
        if (registrations.Length == 0)
        {
            return;
        }

        var api = site with { Version = 2 };
        var payload = new JsonObject
        {
            ["timestamp"] = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            ["webhookEvent"] = webhookEvent,
            ["issue_event_type_name"] = webhookEvent switch
            {
                "jira:issue_created" => "issue_created",
                "jira:issue_deleted" => null,
                _ => "issue_generic",
            },
            ["user"] = EntityRenderer.User(JiraCatalog.Admin, api),
            ["issue"] = IssueRenderer.Render(issue, FieldSelection.Parse(["*all"], FieldDefault.Navigable), api, store, new IssueRenderOptions()),
        };
        if (webhookEvent == "jira:issue_updated" && issue.Histories.Count > 0)
        {
            var last = ChangelogRenderer.History(issue.Histories[^1], api);
            payload["changelog"] = new JsonObject { ["id"] = last["id"]?.DeepClone(), ["items"] = last["items"]?.DeepClone() };
        }

        if (payload["issue_event_type_name"] is null)
        {
            payload.Remove("issue_event_type_name");
        }

        Queue(registrations, webhookEvent, payload, issue);
    }

    /// <summary>
    /// <c>jira:version_*</c> or <c>project_*</c>: the event with the version or project as it is now (as it was, for a
    /// deletion) under <paramref name="entity"/>. A dynamic webhook gets it when it asked for the event.
    /// </summary>
    public void SiteChanged(string webhookEvent, string entity, JsonObject entityJson)
    {
        var registrations = _registrations;
        if (registrations.Length > 0)
        {
            Queue(registrations, webhookEvent, new JsonObject
            {
                ["timestamp"] = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                ["webhookEvent"] = webhookEvent,
                [entity] = entityJson,
            }, issue: null);
        }
    }

    private void Queue(WebhookRegistration[] registrations, string webhookEvent, JsonObject payload, SeedIssue? issue)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var now = timeProvider.GetUtcNow();
        foreach (var registration in registrations)
        {
            // A dynamic webhook sends only its events, about the issues its filter matches, until it expires.
            if (registration.Dynamic is { } dynamic
                && (dynamic.ExpiresAt <= now || !dynamic.Events.Contains(webhookEvent) || (issue is not null && !dynamic.Filter(issue))))
            {
                continue;
            }

            var identifier = Guid.NewGuid().ToString();
            for (var copy = 0; copy <= registration.Duplicates; copy++)
            {
                _queue.Writer.TryWrite(new Delivery(registration, identifier, body));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                // Side by side, as Jira's many connections do, so a held delivery is overtaken.
                _ = Task.Run(() => SendAsync(delivery, stoppingToken), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The simulator stops: deliveries still queued are dropped, as a Jira restart drops them.
        }
    }

    private async Task SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var registration = delivery.Registration;
        if (registration.HoldMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(registration.HoldMs)), timeProvider, cancellationToken);
        }

        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(registration.Secret), delivery.Body));
        var jwt = registration.Dynamic is null ? null : DynamicWebhookJwt.Create(registration.Secret, registration.Dynamic.ClientId, timeProvider.GetUtcNow());
        for (var attempt = 0; ; attempt++)
        {
            HttpStatusCode? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, registration.Url) { Content = new ByteArrayContent(delivery.Body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                if (jwt is null)
                {
                    request.Headers.Add("X-Hub-Signature", signature);
                }
                else
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", jwt);
                }

                request.Headers.Add("X-Atlassian-Webhook-Identifier", delivery.Identifier);
                request.Headers.Add("X-Atlassian-Webhook-Flow", "Primary");
                request.Headers.UserAgent.ParseAdd("Atlassian Webhook HTTP Client");
                if (attempt > 0)
                {
                    request.Headers.Add("X-Atlassian-Webhook-Retry", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                using var response = await Http.SendAsync(request, cancellationToken);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode || !IsRetried(response.StatusCode))
                {
                    LogDelivered(logger, delivery.Identifier, registration.Url, (int)response.StatusCode, attempt);
                    return;
                }
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                // Connection failures are retried like a 5xx.
            }

            if (attempt >= RetryDelays.Length)
            {
                LogGaveUp(logger, delivery.Identifier, registration.Url, (int?)status);
                return;
            }

            await Task.Delay(RetryDelays[attempt], timeProvider, cancellationToken);
        }
    }

    private static bool IsRetried(HttpStatusCode status) =>
        (int)status is 408 or 409 or 425 or 429 or >= 500;

    private sealed record Delivery(WebhookRegistration Registration, string Identifier, byte[] Body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {Identifier} to {Url}: {Status} after {Retries} retries")]
    private static partial void LogDelivered(ILogger logger, string identifier, Uri url, int status, int retries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {Identifier} to {Url} given up (last status {Status})")]
    private static partial void LogGaveUp(ILogger logger, string identifier, Uri url, int? status);
}
