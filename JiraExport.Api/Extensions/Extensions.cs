using Asp.Versioning;
using JiraExport.Api.Apis;
using JiraExport.Api.Auth;
using JiraExport.Api.Caching;
using JiraExport.Api.Features;
using JiraExport.Api.Idempotency;
using JiraExport.Api.OpenApi;
using JiraExport.Api.Pages;
using JiraExport.Api.Quotas;
using JiraExport.Api.Throttling;
using JiraExport.Api.Validation;
using JiraExport.Core.Analytics;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Identity;
using JiraExport.Core.Storage;
using JiraExport.Core.Tenancy;
using JiraExport.Core.Webhooks;

namespace JiraExport.Api.Extensions;

internal static class Extensions
{
    /// <summary>Request bodies above this are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJiraExportPersistence();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddScoped<DomainEventWriter>();
        builder.Services.AddScoped<WebhookFanOut>();
        builder.Services.AddSingleton<EventRouting>();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddScoped<ExportEventWriter>();
        builder.Services.AddScoped<JiraExport.Core.Reports.ScheduledReports>();
        builder.Services.AddSingleton(new JiraExport.Core.Reports.ReportTemplateEngine());
        builder.Services.AddJiraClient();
        builder.Services.AddSingleton<JiraCredentialProtector>();
        builder.Services.AddSingleton<JiraWebhookSecrets>();
        builder.Services.AddSingleton<JiraWebhookTargets>();
        builder.Services.AddSingleton<JiraWebhookMetrics>();
        builder.Services.AddScoped<Core.Audit.AuditTrail>();
        builder.Services.AddSingleton<JiraAppWebhookTokens>();
        builder.Services.AddSingleton<JiraExport.Core.Finishing.FinishingSecrets>();
        builder.Services.AddScoped<ConnectionHealthChecker>();
        builder.Services.AddScoped<JiraExport.Core.Sync.SyncJobQueue>();
        builder.Services.AddSingleton<JiraExport.Api.JiraOAuth.JiraOAuthStates>();

        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddUserIdentity();
        builder.AddThrottling();
        builder.AddSingleSignOn();
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<TenantGate>();
        builder.Services.AddSingleton<ApiRequestTally>();
        builder.Services.AddScoped<UsageRecorder>();
        builder.Services.AddHostedService<UsageFlushService>();
        builder.Services.AddScoped<TenantQuotas>();
        builder.Services.AddExportArtifactStore();
        builder.Services.AddFlowAnalytics();
        builder.AddDashboardPage();
        builder.Services.AddScoped<StorageQuota>();
        builder.AddCachedReads();
        builder.AddCacheWarming();
        builder.Services.AddSingleton<IdempotentRequestStore>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthorizationPolicies.Tenant, policy => policy.RequireClaim(JiraExportClaims.Tenant));
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();

        // Binding failures throw in every environment, so one handler turns them into problems that say what to fix.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<RequestProblemExceptionHandler>();
        builder.Services.AddProblemTypes();
        builder.Services.AddRequestValidation();
        builder.Services.AddFeatureFlags();

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.AddApiVersioning(options =>
        {
            options.DefaultApiVersion = ApiVersions.V1;
            options.ReportApiVersions = true;
            options.ApiVersionReader = ApiVersionReader.Combine(
                new UrlSegmentApiVersionReader(),
                new HeaderApiVersionReader(ApiVersionHeaderRouting.HeaderName));
            options.AddLifecyclePolicies();
        }).AddApiDocuments();
        builder.Services.DescribeOnlyWhenWritingDocumentsAtBuild();
    }

    public static void UseApplicationMiddleware(this WebApplication app)
    {
        // Errors become RFC 9457 problem details in one place; no stack trace ever reaches a client.
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseDashboardPage();
        app.UseStatusCodePages();
        app.UseApiVersionHeaderRouting();
        app.UseRouting();
        app.UseIdempotencyKeys();
        app.UseAuthentication();
        app.UseTenantFromPrincipal();
        app.UseTenantGate();
        app.UseThrottling();
        // After throttling, so a guessed key costs an address its allowance; before any filter, so it precedes validation.
        app.UseAdminKeys();
        app.UseAuthorization();
        // After authorization: a cached answer is only ever served to a caller allowed to read it.
        app.UseOutputCache();
    }
}
