namespace JiraExport.Core.Domain;

/// <summary>A message written in the same transaction as the change it announces; the relay publishes it later.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public required string Exchange { get; set; }
    public required string RoutingKey { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }

    /// <summary>W3C traceparent of the activity that wrote the message, so the consumer continues the trace.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int PublishAttempts { get; set; }
    public string? LastError { get; set; }
}
