using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Messaging;

/// <summary>Idempotent consumers: a message id is recorded in the same transaction as the work it caused.</summary>
public static class Inbox
{
    public static Task<bool> HasProcessedAsync(this JiraExportDbContext db, Guid messageId, string consumer, CancellationToken cancellationToken) =>
        db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken);

    public static void MarkProcessed(this JiraExportDbContext db, Guid messageId, string consumer, DateTimeOffset now) =>
        db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now });
}
