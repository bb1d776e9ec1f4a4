using JiraExport.Api.Contracts;
using JiraExport.Api.Extensions;
using JiraExport.Api.Throttling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Apis;

/// <summary><c>GET /api/versions</c>: which API versions this server has, where each one's contract is, and until when.</summary>
public static class VersionsApi
{
    public static IEndpointRouteBuilder MapVersionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/versions", ListApiVersions).AllowAnonymous().RequireAnonymousThrottling().WithTags("Versions")
            .WithName("ListApiVersions").WithSummary("The API versions this server has, with their status, sunset date and OpenAPI document");
        return app;
    }

    public static Ok<ApiVersionListResponse> ListApiVersions() => TypedResults.Ok(new ApiVersionListResponse(
    [
        .. ApiVersions.Policies.Select(p => new ApiVersionResponse(
            p.Version.ToString(), $"/api/{ApiVersions.DocumentName(p.Version)}", p.Status, p.Sunset,
            $"/openapi/{ApiVersions.DocumentName(p.Version)}.json", p.Deprecated, p.Deprecated is null ? null : ApiVersions.MigrationGuidePath)),
    ]));
}
