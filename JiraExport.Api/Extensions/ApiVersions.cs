using Asp.Versioning;

namespace JiraExport.Api.Extensions;

/// <summary>An API version's place in its life: <c>current</c>, or <c>deprecated</c> until its sunset date.</summary>
internal sealed record ApiVersionPolicy(ApiVersion Version, string Status, DateTimeOffset? Sunset);

/// <summary>The API versions this server has, each with its OpenAPI document ("v1") and its status.</summary>
internal static class ApiVersions
{
    public static readonly ApiVersion V1 = new(1, 0);

    public static readonly IReadOnlyList<ApiVersionPolicy> Policies = [new(V1, "current", Sunset: null)];

    public static readonly IReadOnlyList<ApiVersion> All = [.. Policies.Select(p => p.Version)];

    public static string DocumentName(ApiVersion version) => $"v{version.MajorVersion}";
}
