namespace JiraExport.Core.Domain;

/// <summary>Marks a message as handled by one consumer, committed with the handler's own changes.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
