using JiraExport.Core.Caching;
using JiraExport.Api.Caching;
using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Api.Idempotency;
using JiraExport.Api.OpenApi;
using JiraExport.Api.Preconditions;
using JiraExport.Api.Throttling;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Every route under <c>connections</c>: the Jira sites themselves (<c>ConnectionsApi.Lifecycle</c>), their Jira webhook
/// (<c>ConnectionsApi.Webhook</c>), connecting one over OAuth (<see cref="JiraOAuthApi"/>), and syncing it into the store
/// (<see cref="SyncApi"/>).
/// </summary>
public static partial class ConnectionsApi
{
    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("connections").WithTags("Connections").RequireTenant().EvictsCachedReads(ReadCacheTags.Issues);

        api.MapPost("/", CreateConnection)
            .RequireAuthorization(Scopes.ConnectionsManage)
            .Idempotent()
            .WithName("CreateConnection")
            .WithSummary("Connect a Jira Cloud or Data Center instance");
        api.MapGet("/", ListConnections)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListConnections")
            .WithSummary("List the tenant's Jira connections");
        api.MapGet("/", ListConnectionsV2)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListConnections")
            .WithSummary("List the tenant's Jira connections, newest first");
        api.MapGet("/{id:guid}", GetConnection)
            .RequireAuthorization(Scopes.ExportsRead)
            .OnVersionedResource()
            .WithName("GetConnection")
            .WithSummary("Get one Jira connection");
        api.MapDelete("/{id:guid}", DeleteConnection)
            .RequireAuthorization(Scopes.ConnectionsManage)
            .OnVersionedResource()
            .WithName("DeleteConnection")
            .WithSummary("Delete a Jira connection");
        api.MapGet("/{id:guid}/webhook", GetWebhook)
            .RequireAuthorization(Scopes.WebhooksManage)
            .WithName("GetJiraWebhook")
            .WithSummary("Where Jira sends this connection's events, and when the last one arrived");
        // The secret lets its holder tell the store what Jira deleted: managing connections is needed as well.
        api.MapPut("/{id:guid}/webhook", RotateWebhookSecret)
            .RequireAuthorization(Scopes.WebhooksManage, Scopes.ConnectionsManage)
            .WithName("RotateJiraWebhookSecret")
            .WithSummary("Make a new secret for Jira to sign this connection's webhook deliveries with (shown once)");

        // Calls Jira, which may take a while: no database transaction may stay open meanwhile (no RequireTenant).
        var callsJira = app.MapGroup("connections").WithTags("Connections");
        callsJira.MapPost("/{id:guid}/test", TestConnection)
            .RequireAuthorization(AuthorizationPolicies.Tenant, Scopes.ConnectionsManage)
            .WithName("TestConnection")
            .WithSummary("Sign in to the Jira and report who we are");
        callsJira.MapGet("/{id:guid}/health", CheckConnectionHealth)
            .RequireAuthorization(AuthorizationPolicies.Tenant, Scopes.ExportsRead)
            .WithName("CheckConnectionHealth")
            .WithSummary("Ask every node of the connection for its server info now and rate it healthy, degraded or down");
        callsJira.MapPost("/oauth/start", JiraOAuthApi.Start)
            .RequireAuthorization(AuthorizationPolicies.Tenant, Scopes.ConnectionsManage)
            .WithName("StartJiraOAuth")
            .WithSummary("Start connecting a Jira Cloud site over OAuth: answers where to send the browser");
        // Atlassian sends the browser here; the encrypted state, bound to that browser by a cookie, names the tenant.
        callsJira.MapGet("/oauth/callback", JiraOAuthApi.Callback)
            .AllowAnonymous()
            .RequireAnonymousThrottling()
            .WithName("JiraOAuthCallback")
            .WithSummary("Finish connecting a Jira Cloud site over OAuth");

        var sync = app.MapGroup("connections").WithTags("Sync").RequireTenant().EvictsCachedReads(ReadCacheTags.Issues);
        sync.MapPost("/{id:guid}/sync", SyncApi.StartSync)
            .RequireAuthorization(Scopes.ConnectionsManage)
            .Idempotent()
            .WithName("StartSync")
            .WithSummary("Queue a full or incremental sync of a connection's issues into the store");
        sync.MapPut("/{id:guid}/schedule", SyncApi.PutSchedule)
            .RequireAuthorization(Scopes.ConnectionsManage)
            .WithName("PutSyncSchedule")
            .WithSummary("Sync the connection on a cron schedule (incremental, and optionally full to reconcile)");
        sync.MapGet("/{id:guid}/schedule", SyncApi.GetSchedule)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetSyncSchedule")
            .WithSummary("Get the connection's sync schedule and when it runs next");
        sync.MapDelete("/{id:guid}/schedule", SyncApi.DeleteSchedule)
            .RequireAuthorization(Scopes.ConnectionsManage)
            .WithName("DeleteSyncSchedule")
            .WithSummary("Stop syncing the connection on a schedule");
        sync.MapGet("/{id:guid}/sync-jobs", SyncApi.ListSyncJobs)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListSyncJobs")
            .WithSummary("A connection's sync runs, newest first");
        sync.MapGet("/{id:guid}/sync-jobs", SyncApi.ListSyncJobsV2)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListSyncJobs")
            .WithSummary("A connection's sync runs, newest first, with cursor paging");

        return app;
    }
}
