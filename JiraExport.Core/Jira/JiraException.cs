using System.Net;

namespace JiraExport.Core.Jira;

public enum JiraFailureKind
{
    /// <summary>Jira refused the credentials (401/403).</summary>
    Unauthorized,

    /// <summary>Jira rejected the request, usually the JQL (400).</summary>
    BadRequest,

    /// <summary>Jira could not be reached or kept failing (network, timeouts, 5xx, 429 after retries).</summary>
    Unavailable,

    /// <summary>Jira answered something the client cannot use (unexpected shape, paging that does not end).</summary>
    Protocol,
}

/// <summary>A Jira call failed; <see cref="Exception.Message"/> is written for the person who must fix it.</summary>
public sealed class JiraException(JiraFailureKind kind, string message, HttpStatusCode? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public JiraFailureKind Kind { get; } = kind;
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>The node failed (unreachable, timing out, 5xx), not the request: another node of the site may answer it.</summary>
    public bool IsNodeFailure => Kind == JiraFailureKind.Unavailable && (StatusCode is null || (int)StatusCode >= 500);
}
