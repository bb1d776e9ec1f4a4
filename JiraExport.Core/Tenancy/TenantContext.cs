namespace JiraExport.Core.Tenancy;

/// <summary>
/// The tenant the current unit of work acts for. Set from the authenticated principal (Api, Realtime)
/// or from a message (Worker) — never from a request body.
/// </summary>
public sealed class TenantContext
{
    public Guid? TenantId { get; private set; }

    public void Set(Guid tenantId)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException("The tenant of a unit of work cannot change once set.");
        }

        TenantId = tenantId;
    }
}
