using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.Api.Extensions;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace JiraExport.Api.Apis;

/// <summary>
/// Where Jira delivers a connection's webhook events. Anonymous, but every delivery must carry the connection's
/// signature over its exact bytes, checked before anything reads them (an admin webhook), or our OAuth app's JWT and the
/// connection's key in the URL (a dynamic webhook); a verified delivery is stored (once: a retry keeps its identifier)
/// with its work item in the same transaction, then answered, and the Worker applies it later.
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
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                context.HttpContext.RequestServices.GetRequiredService<JiraWebhookMetrics>().Received(result);
                return result;
            })
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
        JiraWebhookTargets targets,
        JiraAppWebhookTokens appTokens,
        TenantGate tenants,
        OutboxWriter outbox,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        // One answer for an unknown connection, one without a secret, of a tenant that is not active, and a wrong
        // signature: nothing is learnt by guessing. All but the signature itself is checked before the body is read, so a
        // stranger cannot make us hold a body. Credentials of a signed-in caller name their own tenant; a delivery is
        // Jira's, and carries none. A dynamic webhook's JWT names no connection, so the key in its URL must match too; its
        // body is not signed, which is why what it names is read back from Jira before it is applied.
        var target = await targets.FindAsync(connectionId, cancellationToken);
        var signature = request.Headers[JiraWebhookSecrets.SignatureHeader].ToString();
        var appToken = signature.Length == 0 && request.Headers.Authorization.ToString() is { } authorization
                       && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
        if (target is null || (tenant.TenantId is { } caller && caller != target.TenantId)
            || (appToken is null
                ? target.Secret is null || !JiraWebhookSecrets.IsWellFormed(signature)
                : !target.IsOAuth || !DynamicWebhookKeys.Matches(request.Query[DynamicWebhookKeys.QueryName], target.DynamicWebhookKeyHash)
                  || !appTokens.IsValid(appToken)))
        {
            return NotSigned();
        }

        tenant.Set(target.TenantId);
        if (!await tenants.IsActiveAsync(target.TenantId, request.HttpContext.RequestServices, cancellationToken))
        {
            return NotSigned();
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        if (appToken is null && !JiraWebhookSecrets.IsSignedBy(signature, body, target.Secret!))
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

        var bodyHash = SHA256.HashData(body);
        var identifier = request.Headers[IdentifierHeader].ToString() is { Length: > 0 and <= MaxIdentifierLength } header
            ? header
            : $"sha256:{Convert.ToHexStringLower(bodyHash)}";
        var delivery = new StoredDelivery(Guid.CreateVersion7(), target.TenantId, connectionId, identifier, envelope, now, body, bodyHash);
        var isNew = await StoreAsync(db, delivery,
            outbox.Create(MessagingTopology.WorkExchange, MessagingTopology.JiraWebhooksRoutingKey, new JiraWebhookReceived(target.TenantId, connectionId, delivery.Id)),
            cancellationToken);

        // A retry of a delivery already stored (the same identifier, or the same signed bytes under another) gets a success
        // too, so Jira stops sending it; it has no second effect.
        return isNew ? TypedResults.Accepted((string?)null) : TypedResults.Ok();
    }

    /// <summary>
    /// Stores the delivery, its work item and the connection's stamp (at most once a minute, so a burst does not queue on
    /// the connection's row) in one round trip and one transaction; a delivery already stored adds none of them. Whether
    /// it was new.
    /// </summary>
    private static async Task<bool> StoreAsync(JiraExportDbContext db, StoredDelivery delivery, OutboxMessage work, CancellationToken cancellationToken)
    {
        // Both statements go in one batch without BEGIN: PostgreSQL runs a batch as one implicit transaction, so the
        // tenant set for row-level security holds for the insert and ends with it. Were they ever sent apart, the insert
        // would run without a tenant, and row-level security would refuse it.
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand($"SELECT set_config('{TenantTransactionInterceptor.SettingName}', $1, true)")
                    {
                        Parameters = { new() { Value = delivery.TenantId.ToString() } },
                    },
                    new NpgsqlBatchCommand("""
                        WITH delivery AS (
                            INSERT INTO jira_webhook_deliveries (id, tenant_id, connection_id, identifier, event, occurred_at, received_at, body, body_sha256)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                            ON CONFLICT DO NOTHING
                            RETURNING id
                        ), work AS (
                            INSERT INTO outbox_messages (id, exchange, routing_key, type, payload, trace_parent, created_at, publish_attempts)
                            SELECT $10, $11, $12, $13, $14::jsonb, $15, $16, 0 FROM delivery
                        ), stamp AS (
                            UPDATE jira_connections SET last_webhook_at = $7
                            WHERE id = $3 AND EXISTS (SELECT 1 FROM delivery) AND (last_webhook_at IS NULL OR last_webhook_at < $17)
                        )
                        SELECT count(*)::int FROM delivery
                        """)
                    {
                        Parameters =
                        {
                            new() { Value = delivery.Id }, new() { Value = delivery.TenantId }, new() { Value = delivery.ConnectionId },
                            new() { Value = delivery.Identifier }, new() { Value = delivery.Envelope.Event },
                            new() { Value = (object?)delivery.Envelope.OccurredAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                            new() { Value = delivery.ReceivedAt }, new() { Value = delivery.Body }, new() { Value = delivery.BodyHash },
                            new() { Value = work.Id }, new() { Value = work.Exchange }, new() { Value = work.RoutingKey }, new() { Value = work.Type },
                            new() { Value = work.Payload }, new() { Value = (object?)work.TraceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar },
                            new() { Value = work.CreatedAt }, new() { Value = delivery.ReceivedAt.AddMinutes(-1) },
                        },
                    },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 1;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(title: "Delivery too large",
        detail: $"A webhook delivery may have at most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static ProblemHttpResult NotSigned() => TypedResults.Problem(title: "Not signed by this connection",
        detail: $"A delivery must carry {JiraWebhookSecrets.SignatureHeader}: sha256=<hex HMAC of the body> made with the connection's webhook secret (PUT /api/v1/connections/{{id}}/webhook).",
        statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>The body as sent, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Each read is taken whole: bytes left in the pipe would stop the server reading past its buffer (1 MB).
        var body = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and <= MaxBodyBytes ? (int)request.ContentLength : 16 * 1024);
        while (true)
        {
            var read = await request.BodyReader.ReadAsync(cancellationToken);
            if (body.WrittenCount + read.Buffer.Length > MaxBodyBytes)
            {
                request.BodyReader.AdvanceTo(read.Buffer.End);
                return null;
            }

            foreach (var segment in read.Buffer)
            {
                body.Write(segment.Span);
            }

            request.BodyReader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return body.WrittenSpan.ToArray();
            }
        }
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

    private sealed record StoredDelivery(
        Guid Id, Guid TenantId, Guid ConnectionId, string Identifier, WebhookEnvelope Envelope, DateTimeOffset ReceivedAt, byte[] Body, byte[] BodyHash);

    private sealed record WebhookEnvelope(string Event, DateTimeOffset? OccurredAt);
}
