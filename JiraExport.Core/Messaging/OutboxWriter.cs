using System.Diagnostics;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Adds a message to the outbox of the current DbContext; it is published only if the surrounding
/// transaction commits, and then by the relay with publisher confirms.
/// </summary>
public sealed class OutboxWriter(JiraExportDbContext db, TimeProvider timeProvider)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public OutboxMessage Enqueue<T>(string exchange, string routingKey, T message) where T : notnull
    {
        var outboxMessage = Create(exchange, routingKey, message);
        db.OutboxMessages.Add(outboxMessage);
        return outboxMessage;
    }

    /// <summary>The row <see cref="Enqueue"/> adds, not added: for a hot path that writes it in its own statement.</summary>
    public OutboxMessage Create<T>(string exchange, string routingKey, T message) where T : notnull => new()
    {
        Id = Guid.CreateVersion7(),
        Exchange = exchange,
        RoutingKey = routingKey,
        Type = typeof(T).Name,
        Payload = JsonSerializer.Serialize(message, Json),
        TraceParent = Activity.Current?.Id,
        CreatedAt = timeProvider.GetUtcNow(),
    };
}
