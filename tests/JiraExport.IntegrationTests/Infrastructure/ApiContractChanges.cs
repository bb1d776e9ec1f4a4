using System.Text.Json.Nodes;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// What a newer OpenAPI document takes away from an older one: operations, schemas, properties and enum values a client
/// of the older one may rely on. Additions are never breaking and not reported.
/// </summary>
public static class ApiContractChanges
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static IReadOnlyList<string> Removals(JsonNode baseline, JsonNode current)
    {
        var removals = new List<string>();
        foreach (var (path, item) in Object(baseline["paths"]))
        {
            foreach (var method in Methods.Where(m => item?[m] is not null))
            {
                if (current["paths"]?[path]?[method] is null)
                {
                    removals.Add($"operation {method.ToUpperInvariant()} {path} ({item![method]!["operationId"]}) was removed");
                }
            }
        }

        var currentSchemas = current["components"]?["schemas"];
        foreach (var (name, schema) in Object(baseline["components"]?["schemas"]))
        {
            if (currentSchemas?[name] is not { } now)
            {
                removals.Add($"schema {name} was removed");
                continue;
            }

            removals.AddRange(MissingValues(schema?["enum"], now["enum"]).Select(v => $"enum value {v} of {name} was removed"));
            foreach (var (property, definition) in Object(schema?["properties"]))
            {
                if (now["properties"]?[property] is not { } kept)
                {
                    removals.Add($"property {name}.{property} was removed");
                    continue;
                }

                removals.AddRange(MissingValues(definition?["enum"], kept["enum"]).Select(v => $"enum value {v} of {name}.{property} was removed"));
            }
        }

        return removals;
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Object(JsonNode? node) => node as JsonObject ?? [];

    private static IEnumerable<string> MissingValues(JsonNode? before, JsonNode? now)
    {
        var kept = (now as JsonArray ?? []).Select(v => v?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        return (before as JsonArray ?? []).Select(v => v?.ToJsonString() ?? "null").Where(v => !kept.Contains(v));
    }
}
