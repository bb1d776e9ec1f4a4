using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>
/// Checks a JSON value against an OpenAPI 3.0 schema, reporting every violation with its JSON path.
/// Written here because the package copy reachable from this machine has no JSON-schema library, and the draft
/// 2020-12 ones would not know OpenAPI 3.0's <c>nullable</c> anyway.
/// </summary>
/// <remarks>
/// The subset Jira's response schemas use: <c>$ref</c> (siblings ignored, as OpenAPI 3.0 says), <c>allOf</c>,
/// <c>type</c>, <c>nullable</c>, <c>enum</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>,
/// <c>items</c>, <c>uniqueItems</c>, <c>maxLength</c>. <c>additionalProperties: false</c> admits the properties of
/// the schema's <c>allOf</c> members too, as OpenAPI generators read it. Annotations (<c>format</c>, <c>readOnly</c>,
/// <c>description</c> …) are not checked: Jira's own timestamps (<c>+0300</c>, no colon) are not RFC 3339
/// date-times. Any other keyword throws, so a schema this validator does not understand never passes silently.
/// <see cref="SchemaErrata"/> relaxes the few places where Atlassian's own examples break Atlassian's schemas.
/// </remarks>
internal sealed partial class OpenApiSchemaValidator(JsonElement document, SchemaErrata errata)
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "description", "readOnly", "writeOnly", "format", "example", "xml", "default", "deprecated", "title", "externalDocs",
    };

    private static readonly HashSet<string> Checked = new(StringComparer.Ordinal)
    {
        "$ref", "allOf", "type", "nullable", "enum", "properties", "required", "additionalProperties", "items", "uniqueItems", "maxLength",
    };

    public IReadOnlyList<SchemaViolation> Validate(JsonElement schema, JsonElement instance)
    {
        var violations = new List<SchemaViolation>();
        Check(schema, instance, "$", "(response)", violations);
        return violations;
    }

    /// <param name="owner">Where the schema comes from, e.g. <c>IssueBean</c> or <c>IssueBean.changelog</c>, for messages and errata.</param>
    private void Check(JsonElement schema, JsonElement instance, string path, string owner, List<SchemaViolation> violations)
    {
        if (instance.ValueKind == JsonValueKind.Null && errata.NullableProperties.Contains(owner))
        {
            return;
        }

        while (schema.TryGetProperty("$ref", out var reference))
        {
            owner = reference.GetString()!.Split('/')[^1];
            schema = Resolve(reference.GetString()!);
        }

        var unknown = schema.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !Annotations.Contains(n) && !Checked.Contains(n));
        if (unknown is not null)
        {
            throw new NotSupportedException($"Schema {owner} uses '{unknown}', which this validator does not check yet.");
        }

        if (instance.ValueKind == JsonValueKind.Null && schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean())
        {
            return;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var member in allOf.EnumerateArray())
            {
                Check(member, instance, path, owner, violations);
            }
        }

        if (schema.TryGetProperty("type", out var type) && !HasType(instance, type.GetString()!))
        {
            violations.Add(new(path, $"{owner} wants {type.GetString()}, got {Describe(instance)}"));
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, instance)))
        {
            violations.Add(new(path, $"{owner} allows only [{string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}], got {instance.GetRawText()}"));
        }

        if (schema.TryGetProperty("maxLength", out var maxLength) && instance.ValueKind == JsonValueKind.String
            && instance.GetString()!.EnumerateRunes().Count() > maxLength.GetInt32())
        {
            violations.Add(new(path, $"{owner} allows at most {maxLength.GetInt32()} characters"));
        }

        if (instance.ValueKind == JsonValueKind.Object)
        {
            CheckObject(schema, instance, path, owner, violations);
        }
        else if (instance.ValueKind == JsonValueKind.Array)
        {
            CheckArray(schema, instance, path, owner, violations);
        }
    }

    private void CheckObject(JsonElement schema, JsonElement instance, string path, string owner, List<SchemaViolation> violations)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !instance.TryGetProperty(r, out _)))
            {
                violations.Add(new(Child(path, name), $"required by {owner}, but missing"));
            }
        }

        schema.TryGetProperty("properties", out var properties);
        schema.TryGetProperty("additionalProperties", out var additional);
        var admitted = additional.ValueKind == JsonValueKind.False ? DeclaredNames(schema) : [];
        foreach (var property in instance.EnumerateObject())
        {
            var propertyPath = Child(path, property.Name);
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, propertyPath, $"{owner}.{property.Name}", violations);
            }
            else if (additional.ValueKind == JsonValueKind.False && !admitted.Contains(property.Name)
                     && !errata.UndeclaredProperties.Contains($"{owner}.{property.Name}"))
            {
                violations.Add(new(propertyPath, $"not a property of {owner} (additionalProperties: false)"));
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, property.Value, propertyPath, $"{owner}.*", violations);
            }
        }
    }

    private void CheckArray(JsonElement schema, JsonElement instance, string path, string owner, List<SchemaViolation> violations)
    {
        var items = instance.EnumerateArray().ToList();
        if (schema.TryGetProperty("items", out var itemSchema))
        {
            for (var i = 0; i < items.Count; i++)
            {
                Check(itemSchema, items[i], $"{path}[{i}]", $"{owner}[]", violations);
            }
        }

        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.GetBoolean())
        {
            foreach (var repeated in items.Where((item, i) => items.Take(i).Any(earlier => JsonElement.DeepEquals(earlier, item))))
            {
                violations.Add(new(path, $"{owner} wants unique items, {repeated.GetRawText()} repeats"));
            }
        }
    }

    /// <summary>The names of the schema's own properties and of its <c>allOf</c> members' (whose values those members check).</summary>
    private HashSet<string> DeclaredNames(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = Resolve(reference.GetString()!);
        }

        var names = schema.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var member in allOf.EnumerateArray())
            {
                names.UnionWith(DeclaredNames(member));
            }
        }

        return names;
    }

    /// <summary>A local JSON pointer such as <c>#/components/schemas/IssueBean</c>.</summary>
    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported, not '{reference}'.");
        }

        var node = document;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetInt64(out _),
        "number" => instance.ValueKind == JsonValueKind.Number,
        _ => throw new NotSupportedException($"Unknown schema type '{type}'."),
    };

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => instance.GetRawText(),
    };

    private static string Child(string path, string name) =>
        PlainName().IsMatch(name) ? $"{path}.{name}" : $"{path}['{name}']";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();
}
