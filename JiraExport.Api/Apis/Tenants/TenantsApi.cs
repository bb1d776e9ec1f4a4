using JiraExport.Api.Auth;
using JiraExport.Api.Idempotency;

namespace JiraExport.Api.Apis;

/// <summary>
/// Every route under <c>tenants</c>: the platform operator's, with the admin key alone. Creating a tenant, its plan and
/// life cycle (<c>TenantsApi.Lifecycle</c>), and its features (<see cref="TenantFeaturesApi"/>).
/// </summary>
public static partial class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("tenants").WithTags("Tenants").RequireAdminKey();

        api.MapPost("/", CreateTenant)
            .Idempotent()
            .WithName("CreateTenant")
            .WithSummary("Create a tenant and its first API key (platform admin only)");
        api.MapPut("/{id:guid}/plan", SetPlan)
            .WithName("SetTenantPlan")
            .WithSummary("Set a tenant's plan and quotas (platform admin only)");
        api.MapPost("/{id:guid}/suspend", Suspend)
            .WithName("SuspendTenant")
            .WithSummary("Refuse the tenant's requests and sign-ins, keeping its data (platform admin only)");
        api.MapPost("/{id:guid}/resume", Resume)
            .WithName("ResumeTenant")
            .WithSummary("Make a suspended or deletion-scheduled tenant active again (platform admin only)");
        api.MapPost("/{id:guid}/schedule-deletion", ScheduleDeletion)
            .WithName("ScheduleTenantDeletion")
            .WithSummary("Refuse the tenant from now and purge all of it after a grace period (platform admin only)");

        api.MapGet("/{id:guid}/features", TenantFeaturesApi.ListFeatures)
            .WithName("ListTenantFeatures")
            .WithSummary("A tenant's features: variants, override and assignments (platform admin only)");
        api.MapPut("/{id:guid}/features/{feature}", TenantFeaturesApi.OverrideFeature)
            .WithName("OverrideTenantFeature")
            .WithSummary("Force one variant of a feature for every caller of a tenant (platform admin only)");
        api.MapDelete("/{id:guid}/features/{feature}", TenantFeaturesApi.RemoveFeatureOverride)
            .WithName("RemoveTenantFeatureOverride")
            .WithSummary("Let the rollout decide a feature for a tenant again (platform admin only)");

        return app;
    }
}
