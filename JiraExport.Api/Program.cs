using JiraExport.Api.Apis;
using JiraExport.Api.Extensions;
using JiraExport.Api.OpenApi;

var builder = WebApplication.CreateBuilder(ApiDocumentExtensions.Options(args));

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApplicationMiddleware();
app.MapDefaultEndpoints();

app.MapWellKnownEndpoints();
app.MapApiDocuments();

var v1 = app.NewVersionedApi();
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

app.Run();

/// <summary>Entry point, public so integration tests can host the Api.</summary>
public partial class Program;
