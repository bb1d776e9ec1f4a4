using JiraExport.Core.Domain;

namespace JiraExport.Core.Messaging;

/// <summary>Queues bulk export steps through the outbox, in the caller's transaction.</summary>
public static class BulkMessages
{
    public static void EnqueueBulkStep(this OutboxWriter outbox, Guid tenantId, Guid parentExportId, string step) =>
        outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.BulkJobsRoutingKey, new BulkExportStep(tenantId, parentExportId, step));

    /// <summary>
    /// Tells a part's bulk export that the part reached a final state; nothing for a single export. Called in the
    /// transaction that finishes the part, so the parent can never miss it.
    /// </summary>
    public static void NotifyParentOfFinishedPart(this OutboxWriter outbox, Export part)
    {
        if (part.ParentExportId is { } parentId)
        {
            outbox.EnqueueBulkStep(part.TenantId, parentId, BulkSteps.PartFinished);
        }
    }
}
