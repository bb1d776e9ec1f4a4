using JiraExport.Api.Validation;
using JiraExport.Core.Persistence;

namespace JiraExport.Api.Auth;

/// <summary>
/// Runs a tenant endpoint inside one database transaction, so row-level security sees the tenant for every
/// read and write the handler makes (the tenant is set per transaction, never per connection).
/// </summary>
internal sealed class TenantTransactionFilter(JiraExportDbContext db) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var cancellationToken = context.HttpContext.RequestAborted;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await next(context);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}

internal static class TenantEndpointExtensions
{
    /// <summary>
    /// A group of endpoints that act for the caller's tenant. Their request validators run inside the tenant's
    /// transaction, since what they look up (a connection, a template) is the tenant's; so does the audit trail's entry.
    /// </summary>
    public static RouteGroupBuilder RequireTenant(this RouteGroupBuilder group) =>
        group.RequireAuthorization(AuthorizationPolicies.Tenant).AddEndpointFilter<TenantTransactionFilter>()
            .AddEndpointFilter<Audit.AuditTrailFilter>().ValidateRequests();
}
