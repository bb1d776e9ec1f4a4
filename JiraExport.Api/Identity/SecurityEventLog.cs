using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;

namespace JiraExport.Api.Identity;

/// <summary>Writes security events into the tenant's log and counts them in metrics.</summary>
public sealed class SecurityEventLog(JiraExportDbContext db, IServiceScopeFactory scopes, TimeProvider timeProvider, IdentityMetrics metrics)
{
    /// <summary>Adds an event to the current tenant's unit of work; it is saved with the caller's changes.</summary>
    public void Add(string type, HttpContext http, Guid? userId = null, Guid? sessionId = null, string? detail = null)
    {
        db.SecurityEvents.Add(Create(db.TenantId ?? throw new InvalidOperationException("No tenant is set."), type, http, userId, sessionId, detail));
        metrics.SecurityEvent(type);
    }

    /// <summary>
    /// Saves an event in each of several tenants, each in a unit of work of its own (a failed sign-in concerns every
    /// tenant of the account, and a unit of work acts for one tenant only).
    /// </summary>
    public async Task RecordInTenantsAsync(
        IEnumerable<Guid> tenantIds, string type, HttpContext http, Guid? userId, string? detail, CancellationToken cancellationToken)
    {
        foreach (var tenantId in tenantIds)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            var tenantDb = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            tenantDb.SecurityEvents.Add(Create(tenantId, type, http, userId, sessionId: null, detail));
            await tenantDb.SaveChangesAsync(cancellationToken);
        }

        metrics.SecurityEvent(type);
    }

    private SecurityEvent Create(Guid tenantId, string type, HttpContext http, Guid? userId, Guid? sessionId, string? detail) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        OccurredAt = timeProvider.GetUtcNow(),
        Type = type,
        UserId = userId,
        SessionId = sessionId,
        IpAddress = http.Connection.RemoteIpAddress?.ToString(),
        Detail = detail,
    };
}
