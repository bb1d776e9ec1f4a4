using JiraExport.Api.Throttling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Extensions;

/// <summary>A kind of problem v2 answers: its <c>type</c> URI (<c>/problems/{slug}</c>, which describes it), status and meaning.</summary>
public sealed record ProblemTypeResponse(string Type, int Status, string Title, string Meaning);

/// <summary>
/// v2's problem <c>type</c> URIs: one per kind of problem, the same on every route, each served at its own address so a
/// person who meets one can read what it means. v1 keeps the RFC 9110 section links it always answered.
/// </summary>
internal static class ProblemTypes
{
    public static readonly IReadOnlyList<ProblemTypeResponse> All =
    [
        Define("validation", 400, "The request is not valid", "A field is missing or wrong; `errors` names each field and what to fix."),
        Define("bad-request", 400, "The request cannot be read", "The body, a header or the API version is malformed; `detail` says which."),
        Define("unauthenticated", 401, "Sign-in required", "No credential, or one that expired or was revoked; `detail` names what was missing."),
        Define("forbidden", 403, "Not allowed", "The credential lacks the scope or role the operation needs; `detail` names it."),
        Define("not-found", 404, "Not found", "No such resource in this tenant (another tenant's resources are not found either)."),
        Define("conflict", 409, "Conflict", "The resource's state does not allow this now (a retry still running, a name taken, a job already done)."),
        Define("gone", 410, "Gone", "The resource existed and was removed for good (an expired export file)."),
        Define("precondition-failed", 412, "The resource has changed", "`If-Match` named an ETag that is no longer current: read it again, then retry."),
        Define("too-large", 413, "The request is too large", "The body exceeds the route's limit; `detail` gives it."),
        Define("unsupported-media-type", 415, "Unsupported media type", "Send `application/json` (or the media type the route names)."),
        Define("unprocessable", 422, "The request cannot be processed", "Well-formed but refused: an `Idempotency-Key` reused with another body, or a template that does not render."),
        Define("too-many-requests", 429, "Too many requests", "A rate limit or the plan's quota was reached; `Retry-After` says when to try again."),
        Define("server-error", 500, "Unexpected error", "Not the caller's fault; the `traceId` identifies it for support."),
        Define("unavailable", 503, "Temporarily unavailable", "A store or Jira is unreachable for now; retry after `Retry-After`."),
    ];

    private static readonly Dictionary<int, ProblemTypeResponse> ByStatus = All.Where(t => t.Type != Uri("validation")).ToDictionary(t => t.Status);

    private static ProblemTypeResponse Define(string slug, int status, string title, string meaning) => new(Uri(slug), status, title, meaning);

    private static string Uri(string slug) => $"/problems/{slug}";

    /// <summary>Gives each v2 problem the <c>type</c> of its kind, unless its producer named a more specific one.</summary>
    public static void AddProblemTypes(this IServiceCollection services) => services.Configure<ProblemDetailsOptions>(options =>
    {
        var before = options.CustomizeProblemDetails;
        options.CustomizeProblemDetails = context =>
        {
            before?.Invoke(context);
            var problem = context.ProblemDetails;
            if (!context.HttpContext.Request.Path.StartsWithSegments("/api/v2")
                || (problem.Type is { } type && !type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal)))
            {
                return;
            }

            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Type = problem is HttpValidationProblemDetails ? Uri("validation")
                : ByStatus.TryGetValue(status, out var kind) ? kind.Type
                : problem.Type;
        };
    });

    public static IEndpointRouteBuilder MapProblemTypes(this IEndpointRouteBuilder app)
    {
        var problems = app.MapGroup("/problems").AllowAnonymous().RequireAnonymousThrottling().ExcludeFromDescription();
        problems.MapGet("/", ListProblemTypes);
        problems.MapGet("/{slug}", Describe);
        return app;
    }

    private static Ok<IReadOnlyList<ProblemTypeResponse>> ListProblemTypes() => TypedResults.Ok(All);

    private static Results<Ok<ProblemTypeResponse>, NotFound> Describe(string slug) =>
        All.FirstOrDefault(t => t.Type == Uri(slug)) is { } kind ? TypedResults.Ok(kind) : TypedResults.NotFound();
}
