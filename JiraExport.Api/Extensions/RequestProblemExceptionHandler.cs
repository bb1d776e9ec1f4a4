using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace JiraExport.Api.Extensions;

/// <summary>
/// The one place where a failure that is not the server's fault becomes a problem a caller can act on: a body that is
/// not JSON, or not JSON of the request's shape, is a 400 naming where it broke (in every environment); a store that
/// does not answer is a 503 with <c>Retry-After</c>; two requests that raced for the same row (a unique key both wanted,
/// a serialization failure) are a 409 for the loser. Everything else stays a 500 without details.
/// </summary>
internal sealed partial class RequestProblemExceptionHandler(
    IProblemDetailsService problems, ILogger<RequestProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a caller waits before trying again while PostgreSQL or Redis is unreachable.</summary>
    private const int UnavailableRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request body is not valid",
                Detail = DescribeJsonError(json),
                Extensions = { ["errors"] = new Dictionary<string, string[]> { [string.IsNullOrEmpty(json.Path) ? "$" : json.Path] = [DescribeJsonError(json)] } },
            },
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "The request is not valid", Detail = Describe(bad) },
            _ when IsConcurrentConflict(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflicting request",
                Detail = "Another request changed the same thing at the same moment; repeat the request to see where it stands.",
            },
            _ when StoreOutages.IsStoreUnavailable(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = "A store the service depends on does not answer; try again in a few seconds.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            LogStoreUnavailable(logger, httpContext.Request.Path, exception);
            httpContext.Response.Headers.RetryAfter = UnavailableRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// System.Text.Json's messages name .NET types ("could not be converted to System.Guid"); callers get the JSON path and
    /// what was wrong there instead.
    /// </summary>
    private static string DescribeJsonError(JsonException json)
    {
        var where = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "the body" : json.Path;
        return json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"The value at {where} has the wrong type for this request; see the endpoint's documentation for its fields."
            : $"The body is not well-formed JSON (at {where}, line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
    }

    /// <summary>Binding's own messages name handler parameters ("TokenRequest request"); keep only what a caller can act on.</summary>
    private static string Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with Content-Type: application/json.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        _ when bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) && bad.Message.Contains("body", StringComparison.Ordinal) =>
            "A JSON object is required as the request body.",
        _ when bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) =>
            "A required query or header value is missing.",
        _ when bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) =>
            "A query, route or header value has the wrong format.",
        _ => "The request could not be read.",
    };

    /// <summary>
    /// A unique key violated (23505) or a transaction that lost a serialization race or a deadlock (40001, 40P01): the
    /// endpoints check first, so reaching the database's own check means a concurrent request won.
    /// </summary>
    private static bool IsConcurrentConflict(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A store did not answer while serving {Path}; answered 503")]
    private static partial void LogStoreUnavailable(ILogger logger, string path, Exception exception);
}
