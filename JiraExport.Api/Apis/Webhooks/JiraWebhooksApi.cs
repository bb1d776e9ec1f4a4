using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.Api.Extensions;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// Where Jira delivers a connection's webhook events. Anonymous, but every delivery must carry the connection's
/// signature over its exact bytes, checked before anything reads them; a verified delivery is stored (once: a retry keeps
/// its identifier) with its work item in the same transaction, then answered, and the Worker applies it later.
/// </summary>
public static partial class JiraWebhooksApi
{
    private const int MaxBodyBytes = (int)RequestBodyLimits.JiraWebhook;

    /// <summary>
    /// How old a delivery's signed <c>timestamp</c> may be. Jira retries for about an hour and a half; a captured delivery
    /// sent again later is refused, and within the window it is the same body, which is stored once.
    /// </summary>
    private static readonly TimeSpan MaxDeliveryAge = TimeSpan.FromHours(24);

    private const string IdentifierHeader = "X-Atlassian-Webhook-Identifier";
    private const int MaxIdentifierLength = 200;

    public static IEndpointRouteBuilder MapJiraWebhooksApi(this IEndpointRouteBuilder app)
    {
        // Jira calls this, not a client of the API, so it is left out of the API documents (see the README).
        app.MapGroup("webhooks/jira").WithTags("Webhooks")
            .MapPost("/{connectionId:guid}", Receive)
            .AllowAnonymous()
            .AcceptsBodyUpTo(RequestBodyLimits.JiraWebhook)
            .ExcludeFromDescription()
            .WithName("ReceiveJiraWebhook");
        return app;
    }

    /// <summary>The URL Jira is given for a connection, on the address this request came to.</summary>
    public static string UrlFor(HttpRequest request, Guid connectionId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/api/v1/webhooks/jira/{connectionId}";

    public static async Task<Results<Accepted, Ok, ProblemHttpResult>> Receive(
        Guid connectionId,
        HttpRequest request,
        JiraExportDbContext db,
        TenantContext tenant,
        JiraWebhookSecrets secrets,
        OutboxWriter outbox,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        // One answer for an unknown connection, one without a secret and a wrong signature: nothing is learnt by guessing.
        // The connection and its secret are looked up before the body is read, so a stranger cannot make us hold a body.
        var target = await db.Database
            .SqlQuery<WebhookTarget>($"SELECT tenant_id AS \"TenantId\", secret_protected AS \"SecretProtected\" FROM jira_webhook_target({connectionId})")
            .SingleOrDefaultAsync(cancellationToken);
        var secret = target?.SecretProtected is { } protectedSecret ? secrets.Unprotect(target.TenantId, protectedSecret) : null;
        var signature = request.Headers[JiraWebhookSecrets.SignatureHeader].ToString();
        if (target is null || secret is null || signature.Length == 0)
        {
            return NotSigned();
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        if (!JiraWebhookSecrets.IsSignedBy(signature, body, secret))
        {
            return NotSigned();
        }

        if (ReadEnvelope(body) is not { } envelope)
        {
            return TypedResults.Problem(title: "Not a Jira webhook event",
                detail: "The body must be a JSON object with a \"webhookEvent\" string, as Jira sends.", statusCode: StatusCodes.Status400BadRequest);
        }

        var now = timeProvider.GetUtcNow();
        if (envelope.OccurredAt < now - MaxDeliveryAge)
        {
            return TypedResults.Problem(title: "Delivery too old",
                detail: $"The event's timestamp is more than {MaxDeliveryAge.TotalHours:0} hours old; Jira sends an event within minutes and retries for about an hour.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        // Credentials of a signed-in caller name their own tenant; a delivery is Jira's, and carries none.
        if (tenant.TenantId is { } caller && caller != target.TenantId)
        {
            return NotSigned();
        }

        tenant.Set(target.TenantId);
        var bodyHash = SHA256.HashData(body);
        var identifier = request.Headers[IdentifierHeader].ToString() is { Length: > 0 and <= MaxIdentifierLength } header
            ? header
            : $"sha256:{Convert.ToHexStringLower(bodyHash)}";
        // One statement stores the delivery, its work item and the connection's stamp (at most once a minute, so a burst does
        // not queue on the connection's row); a delivery already stored adds none of them.
        var id = Guid.CreateVersion7();
        var work = outbox.Create(MessagingTopology.WorkExchange, MessagingTopology.JiraWebhooksRoutingKey, new JiraWebhookReceived(target.TenantId, connectionId, id));
        var recently = now.AddMinutes(-1);
        // Read as a list: EF would wrap a composed query in a subquery, where PostgreSQL refuses a WITH that writes.
        var isNew = await db.InTransactionAsync(async ct => (await db.Database.SqlQuery<int>($"""
            WITH delivery AS (
                INSERT INTO jira_webhook_deliveries (id, tenant_id, connection_id, identifier, event, occurred_at, received_at, body, body_sha256)
                VALUES ({id}, {target.TenantId}, {connectionId}, {identifier}, {envelope.Event}, {envelope.OccurredAt}, {now}, {body}, {bodyHash})
                ON CONFLICT DO NOTHING
                RETURNING id
            ), work AS (
                INSERT INTO outbox_messages (id, exchange, routing_key, type, payload, trace_parent, created_at, publish_attempts)
                SELECT {work.Id}, {work.Exchange}, {work.RoutingKey}, {work.Type}, CAST({work.Payload} AS jsonb), CAST({work.TraceParent} AS varchar(100)), {work.CreatedAt}, 0
                FROM delivery
            ), stamp AS (
                UPDATE jira_connections SET last_webhook_at = {now}
                WHERE id = {connectionId} AND EXISTS (SELECT 1 FROM delivery) AND (last_webhook_at IS NULL OR last_webhook_at < {recently})
            )
            SELECT count(*)::int AS "Value" FROM delivery
            """).ToListAsync(ct)).Single() == 1, cancellationToken);

        // A retry of a delivery already stored (the same identifier, or the same signed bytes under another) gets a success
        // too, so Jira stops sending it; it has no second effect.
        return isNew ? TypedResults.Accepted((string?)null) : TypedResults.Ok();
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(title: "Delivery too large",
        detail: $"A webhook delivery may have at most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static ProblemHttpResult NotSigned() => TypedResults.Problem(title: "Not signed by this connection",
        detail: $"A delivery must carry {JiraWebhookSecrets.SignatureHeader}: sha256=<hex HMAC of the body> made with the connection's webhook secret (PUT /api/v1/connections/{{id}}/webhook).",
        statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>The body as sent, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The event's name and time; null when the body is not a Jira event.</summary>
    private static WebhookEnvelope? ReadEnvelope(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("webhookEvent", out var name)
                || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 and <= 100 } eventName)
            {
                return null;
            }

            // Jira sends epoch milliseconds; other shapes (a logger's rewritten string) leave the time unknown.
            DateTimeOffset? occurredAt = root.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number
                                         && timestamp.TryGetInt64(out var milliseconds)
                                         && milliseconds is > 0 and < 253_402_300_800_000
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : null;
            return new WebhookEnvelope(eventName, occurredAt);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record WebhookTarget(Guid TenantId, string? SecretProtected);

    private sealed record WebhookEnvelope(string Event, DateTimeOffset? OccurredAt);
}
