using JiraExport.Api.Extensions;

namespace JiraExport.Api.Apis;

/// <summary>
/// The REST API's front door: one versioned group, <c>api/v{version}</c>, built once; each URL prefix maps under it.
/// An endpoint answers in every version unless it names one (a v2 list and its v1 predecessor share a route).
/// Each URL prefix is mapped by one file, its route table (<c>Apis/{Prefix}/{Prefix}Api.cs</c>).
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
        api.MapSignupApi();
        api.MapAuthApi();
        api.MapSsoApi();
        api.MapUsersApi();
        api.MapApiKeysApi();
        api.MapSecurityEventsApi();
        api.MapEventsApi();
        api.MapTenantApi();
        api.MapConnectionsApi();
        api.MapSyncJobsApi();
        api.MapIssuesApi();
        api.MapExportsApi();
        api.MapTemplatesApi();
        api.MapReportSchedulesApi();
        api.MapAnalyticsApi();
        api.MapJiraWebhooksApi();
        api.MapWebhookSubscriptionsApi();
        api.MapWebhookDeliveriesApi();
        return app;
    }
}
