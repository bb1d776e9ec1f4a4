using Asp.Versioning;

namespace JiraExport.Api.Extensions;

/// <summary>The API versions this server has, each with its OpenAPI document ("v1").</summary>
internal static class ApiVersions
{
    public static readonly ApiVersion V1 = new(1, 0);

    public static readonly IReadOnlyList<ApiVersion> All = [V1];

    public static string DocumentName(ApiVersion version) => $"v{version.MajorVersion}";
}
