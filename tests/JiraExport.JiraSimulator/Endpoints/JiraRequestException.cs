namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>A request Jira would refuse; turned into Jira's error body by <see cref="JiraErrorMiddleware"/>.</summary>
internal sealed class JiraRequestException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>Jira Cloud's answer to malformed JSON, unknown properties and wrongly typed values.</summary>
    public static JiraRequestException InvalidPayload() =>
        new(StatusCodes.Status400BadRequest, "Invalid request payload. Refer to the REST API documentation and try again.");
}
