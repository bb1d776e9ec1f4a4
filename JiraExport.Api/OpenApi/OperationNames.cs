namespace JiraExport.Api.OpenApi;

/// <summary>The operation id a v2 endpoint is published under when it replaces a v1 endpoint of the same name.</summary>
internal sealed record OperationIdMetadata(string OperationId);

internal static class OperationNames
{
    /// <summary>
    /// Names a v2 endpoint that answers the same route as a v1 one: endpoint names are unique across versions
    /// ("ListExportsV2"), while each version's document (and the clients generated from it) keeps the plain name.
    /// </summary>
    public static RouteHandlerBuilder WithNameInV2(this RouteHandlerBuilder builder, string operationId) =>
        builder.WithName(operationId + "V2").WithMetadata(new OperationIdMetadata(operationId));
}
