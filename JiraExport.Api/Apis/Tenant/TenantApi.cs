using JiraExport.Core.Caching;
using JiraExport.Api.Caching;
using JiraExport.Api.Audit;
using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Api.Preconditions;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Every route under <c>tenant</c>, the caller's own tenant: its settings and usage, branding, export policy, signing
/// certificate, event routing and SSO. Handlers: <see cref="TenantSettingsApi"/>, <see cref="TenantBrandingApi"/>,
/// <see cref="TenantExportPolicyApi"/>, <see cref="TenantSigningCertificateApi"/>, <see cref="TenantEventRoutingApi"/>,
/// <see cref="TenantSsoApi"/>.
/// </summary>
public static class TenantApi
{
    public static IEndpointRouteBuilder MapTenantApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapGroup("tenant").RequireTenant().EvictsCachedReads(ReadCacheTags.Tenant);

        var settings = tenant.MapGroup("").WithTags("Tenants");
        settings.MapGet("/", TenantSettingsApi.GetTenant)
            .RequireAuthorization(Scopes.ExportsRead)
            .CacheRead(ReadCacheTags.Tenant)
            .OnVersionedResource()
            .WithName("GetTenant")
            .WithSummary("The caller's tenant and its settings");
        settings.MapPatch("/", TenantSettingsApi.UpdateTenant)
            .RequireAuthorization(Scopes.TenantAdmin)
            .OnVersionedResource()
            .WithName("UpdateTenant")
            .WithSummary("Change the tenant's name and settings; only the fields sent change");
        settings.MapGet("/usage", TenantSettingsApi.GetUsage)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetTenantUsage")
            .WithSummary("The plan's quotas and how much of each is used");
        settings.MapGet("/usage/people", TenantPeopleUsageApi.GetPeopleUsage)
            .RequireAuthorization(Scopes.TenantAdmin)
            .WithName("GetPeopleUsage")
            .WithSummary("Each person's and API key's requests by endpoint and exports over the last days (30, at most 90), busiest first");

        var audit = tenant.MapGroup("/audit-log").WithTags("Tenants").RequireAuthorization(Scopes.TenantAdmin).AuditsReads();
        audit.MapGet("/", TenantAuditLogApi.ListAuditLog)
            .WithName("ListAuditLog")
            .WithSummary("The tenant's audit trail (changes, and reads of its data that are audited), oldest first after a sequence");
        audit.MapGet("/verify", TenantAuditLogApi.VerifyAuditLog)
            .WithName("VerifyAuditLog")
            .WithSummary("Walk the audit trail's hash chain: whether any entry was changed or deleted, and where");

        settings.MapGet("/branding", TenantBrandingApi.GetBranding)
            .RequireAuthorization(Scopes.ExportsRead)
            .OnVersionedResource()
            .WithName("GetBranding")
            .WithSummary("The tenant's report branding");
        settings.MapPut("/branding", TenantBrandingApi.PutBranding)
            .RequireAuthorization(Scopes.TemplatesManage)
            .AcceptsBodyUpTo(RequestBodyLimits.Branding)
            .OnVersionedResource()
            .WithName("PutBranding")
            .WithSummary("Set the tenant's report branding");
        settings.MapDelete("/branding", TenantBrandingApi.DeleteBranding)
            .RequireAuthorization(Scopes.TemplatesManage)
            .WithName("DeleteBranding")
            .WithSummary("Back to the default branding");

        var finishing = tenant.MapGroup("").WithTags("PDF finishing");
        finishing.MapGet("/export-policy", TenantExportPolicyApi.GetExportPolicy)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetExportPolicy")
            .WithSummary("The watermark the tenant's policy stamps on every PDF export");
        finishing.MapPut("/export-policy", TenantExportPolicyApi.UpdateExportPolicy)
            .RequireAuthorization(Scopes.TenantAdmin)
            .AcceptsBodyUpTo(RequestBodyLimits.WithWatermarkImage)
            .WithName("UpdateExportPolicy")
            .WithSummary("Set the watermark every PDF export of the tenant carries");
        finishing.MapDelete("/export-policy", TenantExportPolicyApi.DeleteExportPolicy)
            .RequireAuthorization(Scopes.TenantAdmin)
            .WithName("DeleteExportPolicy")
            .WithSummary("Stop enforcing a watermark; requests may still ask for their own");

        var signing = tenant.MapGroup("/signing-certificate").WithTags("PDF finishing").RequireAuthorization(Scopes.TenantAdmin);
        signing.MapGet("/", TenantSigningCertificateApi.GetSigningCertificate)
            .WithName("GetSigningCertificate")
            .WithSummary("The tenant's signing certificate: subject, issuer, thumbprint, validity");
        signing.MapPut("/", TenantSigningCertificateApi.UploadSigningCertificate)
            .WithName("UploadSigningCertificate")
            .WithSummary("Upload the PKCS#12 certificate PDF exports are signed with");
        signing.MapDelete("/", TenantSigningCertificateApi.DeleteSigningCertificate)
            .WithName("DeleteSigningCertificate")
            .WithSummary("Remove the signing certificate; exports can no longer ask for a signature");

        var routing = tenant.MapGroup("/event-routing").WithTags("Events");
        routing.MapGet("/", TenantEventRoutingApi.GetEventRouting)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetEventRouting")
            .WithSummary("Which events reach the hub's followers and the webhook subscriptions");
        routing.MapPut("/", TenantEventRoutingApi.PutEventRouting)
            .RequireAuthorization(Scopes.TenantAdmin)
            .WithName("PutEventRouting")
            .WithSummary("Replace the tenant's event routing rules; the first rule matching an event decides");

        var sso = tenant.MapGroup("/sso").WithTags("SSO").RequireAuthorization(Scopes.TenantAdmin);
        sso.MapGet("/", TenantSsoApi.GetSsoSettings)
            .WithName("GetSsoSettings")
            .WithSummary("The tenant's SSO settings and the addresses to give the identity provider");
        sso.MapPut("/", TenantSsoApi.UpdateSsoSettings)
            .WithName("UpdateSsoSettings")
            .WithSummary("Replace the tenant's SSO settings");

        return app;
    }
}
