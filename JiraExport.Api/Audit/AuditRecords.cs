using JiraExport.Api.OpenApi;
using JiraExport.Core.Audit;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Audit;

/// <summary>What an audited request did, as its entry in the tenant's audit trail records it.</summary>
internal static class AuditRecords
{
    /// <summary>The request's endpoint (by its name in the API reference), method, path and caller's address.</summary>
    public static AuditRecord Of(HttpContext http, string actorKind, Guid actorId, int status)
    {
        var endpoint = http.GetEndpoint();
        var action = endpoint?.Metadata.GetMetadata<OperationIdMetadata>()?.OperationId
                     ?? endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                     ?? endpoint?.DisplayName ?? "unnamed";
        return new AuditRecord(actorKind, actorId, action, http.Request.Method, http.Request.PathBase + http.Request.Path, status,
            http.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>
    /// A change made outside the tenant endpoints' filter (<see cref="AuditTrailFilter"/>), by someone who is not yet the
    /// tenant's signed-in caller (signing up, accepting an invitation), in the transaction of the change.
    /// </summary>
    public static Task AppendRequestAsync(
        this AuditTrail trail, HttpContext http, string actorKind, Guid actorId, int status, CancellationToken cancellationToken) =>
        trail.AppendAsync(Of(http, actorKind, actorId, status), cancellationToken);

    /// <summary>
    /// The platform operator's change to a tenant (with the admin key), in the tenant's trail and in the transaction of the
    /// change: the tenant's admins see what was done to their tenant, and by whom.
    /// </summary>
    public static Task AppendPlatformAdminActionAsync(this AuditTrail trail, HttpContext http, int status, CancellationToken cancellationToken) =>
        trail.AppendRequestAsync(http, PrincipalKinds.PlatformAdmin, Guid.Empty, status, cancellationToken);
}
