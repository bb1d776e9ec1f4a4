using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JiraExport.Api.OpenApi;

/// <summary>
/// The Api reads a number sent as a string too (the web JSON defaults), so the generator describes every number as
/// "integer or string matching a pattern". The contract promises numbers: clients send and receive them as such, and
/// generated clients get <c>long</c> and <c>double</c> instead of strings checked by a regular expression.
/// </summary>
internal sealed class NumbersAreNumbers : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
