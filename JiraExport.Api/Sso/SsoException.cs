namespace JiraExport.Api.Sso;

/// <summary>A sign-in through an identity provider that cannot go on; the message says why, for the person and the log.</summary>
public sealed class SsoException(string message, int statusCode = StatusCodes.Status401Unauthorized) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
