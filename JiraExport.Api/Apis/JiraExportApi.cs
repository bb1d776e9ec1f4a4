using JiraExport.Api.Extensions;

namespace JiraExport.Api.Apis;

/// <summary>
/// The REST API's front door: one versioned group, <c>api/v{version}</c>, built once; each URL prefix maps under it.
/// An endpoint answers in every version unless it names one (a v2 list and its v1 predecessor share a route).
/// </summary>
public static class JiraExportApi
{
    public static IEndpointRouteBuilder MapJiraExportApi(this IEndpointRouteBuilder app)
    {
        app.MapVersionsApi();
        var api = app.NewVersionedApi().MapGroup("api/v{version:apiVersion}")
            .HasDeprecatedApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2);
        api.MapTenantsApi();
        api.MapTenantFeaturesApi();
        api.MapSignupApi();
        api.MapAuthApi();
        api.MapMfaApi();
        api.MapSecurityEventsApi();
        api.MapApiKeysApi();
        api.MapUsersApi();
        api.MapInvitationsApi();
        api.MapTenantSettingsApi();
        api.MapTenantSsoApi();
        api.MapTenantExportPolicyApi();
        api.MapTenantSigningCertificateApi();
        api.MapSsoApi();
        api.MapConnectionsApi();
        api.MapExportsApi();
        api.MapTemplatesApi();
        api.MapTenantBrandingApi();
        api.MapExportFilesApi();
        api.MapBulkExportsApi();
        api.MapSyncApi();
        api.MapIssuesApi();
        api.MapJiraOAuthApi();
        return app;
    }
}
