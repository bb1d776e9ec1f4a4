using System.Globalization;
using JiraExport.JiraSimulator.Endpoints;

namespace JiraExport.JiraSimulator.Faults;

/// <summary>Counts <c>/rest</c> requests and makes them suffer the armed fault. Runs before authentication: Jira's gateway throttles first.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, FaultState state, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/rest"))
        {
            await next(context);
            return;
        }

        var fault = state.OnRequest(time.GetUtcNow());
        switch (fault?.Kind)
        {
            case FaultKind.RateLimited:
                await WriteRateLimitedAsync(context, fault);
                return;
            case FaultKind.Unavailable:
                await WriteUnavailableAsync(context, fault);
                return;
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), time, context.RequestAborted);
                break;
        }

        await next(context);
    }

    private Task WriteRateLimitedAsync(HttpContext context, FaultSpec fault)
    {
        var headers = context.Response.Headers;
        // A quota resets at one instant for everyone; Jira has been seen to leave Retry-After out then (API-NOTES §4).
        var reset = fault.IsQuota ? state.QuotaResetsAt : time.GetUtcNow().AddSeconds(fault.RetryAfterSeconds);
        if (!fault.IsQuota)
        {
            headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        headers["X-RateLimit-Limit"] = fault.IsQuota ? "65000" : "100";
        headers["X-RateLimit-Remaining"] = "0";
        headers["X-RateLimit-Reset"] = reset.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        headers["RateLimit-Reason"] = fault.Reason;
        return JiraJson.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests,
            "The request has been rate-limited. Please try again later.");
    }

    private static Task WriteUnavailableAsync(HttpContext context, FaultSpec fault)
    {
        if (fault.RetryAfterSeconds > 0)
        {
            context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return JiraJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable,
            "Jira is temporarily unavailable. Please try again later.");
    }
}
