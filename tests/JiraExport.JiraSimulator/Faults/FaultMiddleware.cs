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

        var fault = state.OnRequest(time.GetUtcNow(), context.Request.Path.Value ?? string.Empty);
        switch (fault?.Kind)
        {
            case FaultKind.RateLimited:
                await WriteRateLimitedAsync(context, fault);
                return;
            case FaultKind.Unavailable:
                await WriteUnavailableAsync(context, fault);
                return;
            case FaultKind.Oversized:
                await WriteOversizedAsync(context, fault);
                return;
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), time, context.RequestAborted);
                break;
            case FaultKind.LateAnswer:
                await AnswerLateAsync(context, fault);
                return;
        }

        await next(context);
    }

    /// <summary>The answer is made now and held back: what it says may no longer be true when it arrives.</summary>
    private async Task AnswerLateAsync(HttpContext context, FaultSpec fault)
    {
        var body = context.Response.Body;
        await using var answer = new MemoryStream();
        context.Response.Body = answer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), time, context.RequestAborted);
        answer.Position = 0;
        await answer.CopyToAsync(body, context.RequestAborted);
    }

    /// <summary>A JSON string of padding, written in 64 KiB chunks with no Content-Length: the client only learns the size by reading.</summary>
    private static async Task WriteOversizedAsync(HttpContext context, FaultSpec fault)
    {
        context.Response.ContentType = "application/json";
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        await context.Response.Body.WriteAsync("{\"padding\":\""u8.ToArray(), context.RequestAborted);
        for (var written = 0; written < fault.SizeBytes; written += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, fault.SizeBytes - written)), context.RequestAborted);
        }

        await context.Response.Body.WriteAsync("\"}"u8.ToArray(), context.RequestAborted);
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
