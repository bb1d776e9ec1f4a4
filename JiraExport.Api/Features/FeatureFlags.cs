using Microsoft.FeatureManagement;

namespace JiraExport.Api.Features;

/// <summary>
/// The features the Api decides per tenant and caller. Each is defined under <c>feature_management</c> in appsettings
/// (Microsoft.FeatureManagement's schema: variants and how they are allocated); the platform operator may force a
/// variant for one tenant (<c>PUT /tenants/{id}/features/{feature}</c>).
/// </summary>
internal static class FeatureFlags
{
    /// <summary>v2 issue search's <c>fields</c> selection: variant <c>on</c> or <c>off</c>, allocated per caller.</summary>
    public const string IssueFieldSelection = "IssueFieldSelection";

    public const string On = "on";
    public const string Off = "off";

    public static IServiceCollection AddFeatureFlags(this IServiceCollection services)
    {
        services.AddFeatureManagement();
        services.AddSingleton<FeatureMetrics>();
        services.AddScoped<TenantFeatures>();
        return services;
    }
}
