using JiraExport.Api.Extensions;

namespace JiraExport.Api.Apis;

/// <summary>The REST API's front door: one versioned group, <c>api/v{version}</c>, built once; each URL prefix maps under it.</summary>
public static class JiraExportApi
{
    public static IEndpointRouteBuilder MapJiraExportApi(this IEndpointRouteBuilder app)
    {
        app.MapVersionsApi();
        var v1 = app.NewVersionedApi().MapGroup("api/v{version:apiVersion}").HasApiVersion(ApiVersions.V1);
        v1.MapTenantsApiV1();
        v1.MapSignupApiV1();
        v1.MapAuthApiV1();
        v1.MapMfaApiV1();
        v1.MapSecurityEventsApiV1();
        v1.MapApiKeysApiV1();
        v1.MapUsersApiV1();
        v1.MapInvitationsApiV1();
        v1.MapTenantSettingsApiV1();
        v1.MapTenantSsoApiV1();
        v1.MapTenantExportPolicyApiV1();
        v1.MapTenantSigningCertificateApiV1();
        v1.MapSsoApiV1();
        v1.MapConnectionsApiV1();
        v1.MapExportsApiV1();
        v1.MapTemplatesApiV1();
        v1.MapTenantBrandingApiV1();
        v1.MapExportFilesApiV1();
        v1.MapBulkExportsApiV1();
        v1.MapSyncApiV1();
        v1.MapIssuesApiV1();
        v1.MapJiraOAuthApiV1();
        return app;
    }
}
