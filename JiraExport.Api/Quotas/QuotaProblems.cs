using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Quotas;

/// <summary>A quota hit as a problem detail that names the quota, its limit and when it resets (RFC 9457 extensions).</summary>
internal static class QuotaProblems
{
    public static ProblemHttpResult Exceeded(
        HttpContext http, string quota, int limit, DateTimeOffset? resetsAt, string detail, IReadOnlyDictionary<string, object?>? more = null)
    {
        // A quota that resets by itself is "try later" (429 with Retry-After); one that does not needs action (403).
        if (resetsAt is { } reset)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((reset - DateTimeOffset.UtcNow).TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var extensions = new Dictionary<string, object?>
        {
            ["quota"] = quota,
            ["limit"] = limit,
            ["resetsAt"] = resetsAt,
        };
        foreach (var (name, value) in more ?? new Dictionary<string, object?>())
        {
            extensions[name] = value;
        }

        return TypedResults.Problem(
            title: "Quota exceeded",
            detail: detail,
            statusCode: resetsAt is null ? StatusCodes.Status403Forbidden : StatusCodes.Status429TooManyRequests,
            extensions: extensions);
    }
}
