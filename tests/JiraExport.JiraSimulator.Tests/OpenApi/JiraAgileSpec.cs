using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>
/// Atlassian's published Jira Software (Agile 1.0) OpenAPI document, beside the platform one in
/// <c>tests/Shared/reference/jira</c>. Only the board operations declare a 200 schema; the sprint, epic and issue list
/// operations give an example only, so their answers are checked against the document's own components
/// (<c>SprintBean</c>, <c>SearchResults</c>) or, for epics, against the shape of Atlassian's example.
/// </summary>
internal static class JiraAgileSpec
{
    private static readonly Lazy<JsonDocument> Spec = new(() => JsonDocument.Parse(File.ReadAllBytes(JiraPlatformSpec.ReferenceFile("jira-software-cloud-agile.openapi.json"))));

    private static readonly Lazy<OpenApiSchemaValidator> SpecValidator = new(() => new OpenApiSchemaValidator(Document, SchemaErrata.JiraSoftwareAgile));

    public static JsonElement Document => Spec.Value.RootElement;

    /// <summary>Validates against this document, with <see cref="SchemaErrata.JiraSoftwareAgile"/> applied.</summary>
    public static OpenApiSchemaValidator Validator => SpecValidator.Value;

    /// <summary>A board page: the spec's <c>PageBeanBoard</c> envelope around <c>SprintBean</c>s (the spec has no sprint page schema).</summary>
    public static JsonElement SprintPage { get; } = Parse(Page("{\"$ref\":\"#/components/schemas/SprintBean\"}"));

    /// <summary>
    /// An epic as Atlassian's getEpic and getEpics examples show it (the spec has no schema for it), with its colour
    /// checked against <c>ColorBean</c>. <c>key</c> is allowed besides: Cloud sends it and clients need it.
    /// </summary>
    public static JsonElement Epic { get; } = Parse(EpicSchema);

    public static JsonElement EpicPage { get; } = Parse(Page(EpicSchema));

    private const string EpicSchema = """
        {"type": "object", "required": ["id", "self", "name", "summary", "color", "done"], "additionalProperties": false,
         "properties": {"id": {"type": "integer"}, "key": {"type": "string"}, "self": {"type": "string"}, "name": {"type": "string"},
                        "summary": {"type": "string"}, "color": {"$ref": "#/components/schemas/ColorBean"}, "done": {"type": "boolean"}}}
        """;

    /// <summary>The named component, validated under its name (so errata can speak of it).</summary>
    public static JsonElement Component(string name) => Parse($"{{\"$ref\": \"#/components/schemas/{name}\"}}");

    /// <summary>The <c>application/json</c> schema of an operation's 200 response, where the spec gives one.</summary>
    public static JsonElement ResponseSchema(string path, string method) => Response(path, method).GetProperty("schema");

    /// <summary>Atlassian's example of that response, which the spec stores as a JSON string.</summary>
    public static JsonElement ResponseExample(string path, string method) => Parse(Response(path, method).GetProperty("example").GetString()!);

    private static JsonElement Response(string path, string method) =>
        Document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json");

    private static string Page(string items) =>
        """
        {"type": "object", "required": ["maxResults", "startAt", "isLast", "values"], "additionalProperties": false,
         "properties": {"maxResults": {"type": "integer"}, "startAt": {"type": "integer"}, "total": {"type": "integer"},
                        "isLast": {"type": "boolean"}, "values": {"type": "array", "items":
        """ + items + "}}}";

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
