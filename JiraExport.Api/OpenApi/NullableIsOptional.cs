using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JiraExport.Api.OpenApi;

/// <summary>
/// A nullable member of a contract may be left out: the Api reads a missing one as null. The generator marks every
/// positional record member required; this takes that back for the nullable ones, so examples and clients may omit them.
/// </summary>
internal sealed class NullableIsOptional : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var name in required.Where(name => properties.TryGetValue(name, out var property) && IsNullable(property)).ToList())
            {
                required.Remove(name);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsNullable(IOpenApiSchema property) =>
        property.Type?.HasFlag(JsonSchemaType.Null) == true || property.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true;
}
