using JiraExport.Api.Extensions;
using JiraExport.Core.Audit;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Audit;

/// <summary>
/// Writes a tenant endpoint's request into the tenant's audit trail, with the status its handler answered, when it may
/// change something (any method but GET, HEAD and OPTIONS) or reads data whose reading is audited
/// (<see cref="AuditTrailEndpointExtensions.AuditsReads"/>). It runs inside the request's tenant transaction, so the entry
/// commits with what it records, or neither does (a handler that throws commits nothing). Requests refused before the
/// endpoint runs (authentication, scopes) changed nothing and are not entries; the security log has those refusals. Nor
/// is an answer the Idempotency-Key gave alone (a replay, or a retry while the first still runs): the first is the entry.
/// </summary>
internal sealed partial class AuditTrailFilter(AuditTrail trail, ILogger<AuditTrailFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        var request = http.Request;
        var endpoint = http.GetEndpoint();
        var audited = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
                      || (HttpMethods.IsGet(request.Method) && endpoint?.Metadata.GetMetadata<AuditedReadMetadata>() is not null);
        if (!audited || Idempotency.IdempotentCreateFilter.AnsweredByKey(http) || http.User.GetPrincipal() is not { } actor)
        {
            return result;
        }

        var record = AuditRecords.Of(http, actor.Kind, actor.Id, HttpResultStatus.Of(result) ?? StatusCodes.Status200OK);
        await trail.AppendAsync(record, http.RequestAborted);
        LogAudited(logger, record.Action, record.Status);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audited {Action}: {Status}")]
    private static partial void LogAudited(ILogger logger, string action, int status);
}

/// <summary>Marks a GET whose reading of the tenant's data goes into the audit trail.</summary>
internal sealed class AuditedReadMetadata;

internal static class AuditTrailEndpointExtensions
{
    /// <summary>Reads of this endpoint are written into the tenant's audit trail, as changes always are.</summary>
    public static TBuilder AuditsReads<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new AuditedReadMetadata());
}
