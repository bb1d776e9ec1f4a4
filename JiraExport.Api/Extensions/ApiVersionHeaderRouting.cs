using System.Text.RegularExpressions;
using Asp.Versioning;
using Microsoft.AspNetCore.Mvc;

namespace JiraExport.Api.Extensions;

/// <summary>
/// Picks the API version of an <c>/api/…</c> request before routing. The version may be named by the
/// <c>api-version</c> header instead of the path (<c>/api/exports</c> with <c>api-version: 1.0</c> is routed as
/// <c>/api/v1/exports</c>), and a version this server does not have is a 400 problem that lists the ones it has
/// (URL-segment versioning alone would answer 404, as if the resource were missing). A created resource's
/// <c>Location</c> names it in the version asked.
/// </summary>
internal static partial class ApiVersionHeaderRouting
{
    public const string HeaderName = "api-version";
    private const string V1Prefix = "/api/v1/";

    public static IApplicationBuilder UseApiVersionHeaderRouting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api", out var rest) || rest.Value is not { Length: > 1 } tail)
        {
            await next(context);
            return;
        }

        var inPath = VersionSegment().Match(tail);
        var requested = inPath.Success ? inPath.Groups["version"].Value : context.Request.Headers[HeaderName].ToString();
        if (requested.Length == 0)
        {
            await next(context);
            return;
        }

        if (!ApiVersionParser.Default.TryParse(requested, out var version) || !ApiVersions.All.Any(v => v.MajorVersion == version.MajorVersion))
        {
            var names = string.Join(", ", ApiVersions.All.Select(v => v.ToString()));
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.Headers["api-supported-versions"] = names;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Unsupported API version",
                    Detail = $"This server has no API version '{requested}'. It has {names}: name one in the path (/api/v1/…) or the {HeaderName} header.",
                },
            });
            return;
        }

        if (!inPath.Success)
        {
            context.Request.Path = $"/api/v{version.MajorVersion}{tail}";
        }

        if (version.MajorVersion != ApiVersions.V1.MajorVersion)
        {
            // Handlers name what they create by its v1 address; a caller of another version is sent to that version's.
            var response = context.Response;
            response.OnStarting(() =>
            {
                if (response.Headers.Location.ToString() is { } location && location.StartsWith(V1Prefix, StringComparison.Ordinal))
                {
                    response.Headers.Location = $"/api/v{version.MajorVersion}/{location[V1Prefix.Length..]}";
                }

                return Task.CompletedTask;
            });
        }

        await next(context);
    });

    [GeneratedRegex(@"^/v(?<version>\d+(\.\d+)?)(/|$)")]
    private static partial Regex VersionSegment();
}
