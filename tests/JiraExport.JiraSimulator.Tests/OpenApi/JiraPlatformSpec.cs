using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>
/// Atlassian's published Jira Cloud platform v3 OpenAPI document, kept in the repository as test data
/// (<c>tests/Shared/reference/jira</c>), read once (2.4 MB) and never changed.
/// </summary>
internal static class JiraPlatformSpec
{
    private static readonly Lazy<JsonDocument> Spec = new(() => JsonDocument.Parse(File.ReadAllBytes(ReferenceFile("jira-cloud-platform-v3.openapi.json"))));

    private static readonly Lazy<OpenApiSchemaValidator> SpecValidator = new(() => new OpenApiSchemaValidator(Document, SchemaErrata.JiraCloudPlatform));

    public static JsonElement Document => Spec.Value.RootElement;

    /// <summary>Validates against this document, with <see cref="SchemaErrata.JiraCloudPlatform"/> applied.</summary>
    public static OpenApiSchemaValidator Validator => SpecValidator.Value;

    /// <summary>The <c>application/json</c> schema of an operation's 200 response, e.g. ("/rest/api/3/field", "get").</summary>
    public static JsonElement ResponseSchema(string path, string method) => Response(path, method).GetProperty("schema");

    /// <summary>Atlassian's example of that response, which the spec stores as a JSON string.</summary>
    public static JsonElement ResponseExample(string path, string method)
    {
        using var example = JsonDocument.Parse(Response(path, method).GetProperty("example").GetString()!);
        return example.RootElement.Clone();
    }

    private static JsonElement Response(string path, string method) =>
        Document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json");

    /// <summary>A file under <c>tests/Shared/reference/jira</c>.</summary>
    public static string ReferenceFile(string relativePath) => JiraExport.Tests.Shared.JiraReference.File(relativePath);
}
