using Asp.Versioning;

namespace JiraExport.Api.Extensions;

/// <summary>
/// An API version's place in its life: <c>current</c>, or <c>deprecated</c> since <paramref name="Deprecated"/> and
/// answered until <paramref name="Sunset"/>.
/// </summary>
internal sealed record ApiVersionPolicy(ApiVersion Version, DateTimeOffset? Deprecated, DateTimeOffset? Sunset)
{
    public string Status => Deprecated is null ? "current" : "deprecated";
}

/// <summary>The API versions this server has, each with its OpenAPI document ("v1") and its status.</summary>
internal static class ApiVersions
{
    public static readonly ApiVersion V1 = new(1, 0);
    public static readonly ApiVersion V2 = new(2, 0);

    /// <summary>Where a deprecated version's callers learn what changed (the <c>Link</c> of its <c>Deprecation</c> and <c>Sunset</c> headers).</summary>
    public const string MigrationGuidePath = "/docs/migration-v1-to-v2";

    // Asp.Versioning writes a policy's link after the request's base path and a slash.
    private const string MigrationGuideLink = "docs/migration-v1-to-v2";

    /// <summary>v1 is deprecated from the day v2 shipped and answered for a year after it (the README's deprecation policy).</summary>
    public static readonly IReadOnlyList<ApiVersionPolicy> Policies =
    [
        new(V1, Deprecated: new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), Sunset: new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero)),
        new(V2, Deprecated: null, Sunset: null),
    ];

    public static readonly IReadOnlyList<ApiVersion> All = [.. Policies.Select(p => p.Version)];

    public static string DocumentName(ApiVersion version) => $"v{version.MajorVersion}";

    public static ApiVersionPolicy PolicyOf(string documentName) => Policies.Single(p => DocumentName(p.Version) == documentName);

    /// <summary>Answers <c>Deprecation</c> (RFC 9745) and <c>Sunset</c> (RFC 8594) with a <c>Link</c> to the migration guide for each deprecated version.</summary>
    public static void AddLifecyclePolicies(this ApiVersioningOptions options)
    {
        foreach (var policy in Policies)
        {
            if (policy.Deprecated is { } deprecated)
            {
                options.Policies.Deprecate(policy.Version).Effective(deprecated).Link(MigrationGuideLink).Title("Migrating from v1 to v2").Type("text/markdown");
            }

            if (policy.Sunset is { } sunset)
            {
                options.Policies.Sunset(policy.Version).Effective(sunset).Link(MigrationGuideLink).Title("Migrating from v1 to v2").Type("text/markdown");
            }
        }
    }
}
