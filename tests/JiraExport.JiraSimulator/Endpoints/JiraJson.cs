using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>How the simulator writes JSON: Jira sends Cyrillic as raw UTF-8, not \u escapes.</summary>
internal static class JiraJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Ok(JsonNode body) => Results.Json(body, Options);

    /// <summary>Jira's error envelope: <c>{"errorMessages":[…],"errors":{}}</c>.</summary>
    public static JsonObject ErrorBody(params IEnumerable<string> messages) => new()
    {
        ["errorMessages"] = new JsonArray(messages.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
        ["errors"] = new JsonObject(),
    };

    public static IResult Error(int statusCode, params IEnumerable<string> messages) =>
        Results.Json(ErrorBody(messages), Options, statusCode: statusCode);

    public static Task WriteErrorAsync(HttpContext context, int statusCode, params IEnumerable<string> messages)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(ErrorBody(messages), Options, context.RequestAborted);
    }
}
