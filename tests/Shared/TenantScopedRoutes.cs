namespace JiraExport.Tests.Shared;

/// <summary>
/// Every Api route that names a resource by id, with the kind of id it takes. The Api tests check that this list
/// matches the routes the Api maps; the integration tests call each one with another tenant's ids.
/// </summary>
public static class TenantScopedRoutes
{
    public enum IdKind
    {
        Connection,
        Export,
        ApiKey,
        User,
        Session,
        SyncJob,
        Template,
        Invitation,
        WebhookSubscription,
        WebhookDelivery,
        FlowDefinition,
        ReportSchedule,
        Dashboard,
    }

    public static readonly IReadOnlyList<(string Method, string Pattern, IdKind Id)> All =
    [
        ("GET", "/api/v{version:apiVersion}/connections/{id:guid}", IdKind.Connection),
        ("DELETE", "/api/v{version:apiVersion}/connections/{id:guid}", IdKind.Connection),
        ("POST", "/api/v{version:apiVersion}/connections/{id:guid}/test", IdKind.Connection),
        ("POST", "/api/v{version:apiVersion}/connections/{id:guid}/sync", IdKind.Connection),
        ("GET", "/api/v{version:apiVersion}/connections/{id:guid}/health", IdKind.Connection),
        ("PUT", "/api/v{version:apiVersion}/connections/{id:guid}/schedule", IdKind.Connection),
        ("GET", "/api/v{version:apiVersion}/connections/{id:guid}/schedule", IdKind.Connection),
        ("DELETE", "/api/v{version:apiVersion}/connections/{id:guid}/schedule", IdKind.Connection),
        ("GET", "/api/v{version:apiVersion}/connections/{id:guid}/sync-jobs", IdKind.Connection),
        ("GET", "/api/v{version:apiVersion}/connections/{id:guid}/webhook", IdKind.Connection),
        ("PUT", "/api/v{version:apiVersion}/connections/{id:guid}/webhook", IdKind.Connection),
        ("GET", "/api/v{version:apiVersion}/sync-jobs/{id:guid}", IdKind.SyncJob),
        ("POST", "/api/v{version:apiVersion}/sync-jobs/{id:guid}/deletions", IdKind.SyncJob),
        ("GET", "/api/v{version:apiVersion}/exports/{id:guid}", IdKind.Export),
        ("GET", "/api/v{version:apiVersion}/exports/{id:guid}/file", IdKind.Export),
        ("HEAD", "/api/v{version:apiVersion}/exports/{id:guid}/file", IdKind.Export),
        ("DELETE", "/api/v{version:apiVersion}/exports/{id:guid}/file", IdKind.Export),
        ("GET", "/api/v{version:apiVersion}/templates/{id:guid}", IdKind.Template),
        ("PUT", "/api/v{version:apiVersion}/templates/{id:guid}", IdKind.Template),
        ("DELETE", "/api/v{version:apiVersion}/templates/{id:guid}", IdKind.Template),
        ("POST", "/api/v{version:apiVersion}/templates/{id:guid}/publish", IdKind.Template),
        ("GET", "/api/v{version:apiVersion}/templates/{id:guid}/versions", IdKind.Template),
        ("GET", "/api/v{version:apiVersion}/templates/{id:guid}/versions/{number:int}", IdKind.Template),
        ("POST", "/api/v{version:apiVersion}/templates/{id:guid}/rollback", IdKind.Template),
        ("POST", "/api/v{version:apiVersion}/templates/{id:guid}/preview", IdKind.Template),
        ("POST", "/api/v{version:apiVersion}/exports/{id:guid}/cancel", IdKind.Export),
        ("GET", "/api/v{version:apiVersion}/exports/{id:guid}/parts", IdKind.Export),
        ("DELETE", "/api/v{version:apiVersion}/api-keys/{id:guid}", IdKind.ApiKey),
        ("PATCH", "/api/v{version:apiVersion}/users/{userId:guid}", IdKind.User),
        ("DELETE", "/api/v{version:apiVersion}/users/{userId:guid}", IdKind.User),
        ("GET", "/api/v{version:apiVersion}/users/{userId:guid}/personal-data", IdKind.User),
        ("POST", "/api/v{version:apiVersion}/users/{userId:guid}/erasure", IdKind.User),
        ("DELETE", "/api/v{version:apiVersion}/users/invitations/{id:guid}", IdKind.Invitation),
        ("DELETE", "/api/v{version:apiVersion}/auth/sessions/{id:guid}", IdKind.Session),
        ("GET", "/api/v{version:apiVersion}/webhook-subscriptions/{id:guid}", IdKind.WebhookSubscription),
        ("PUT", "/api/v{version:apiVersion}/webhook-subscriptions/{id:guid}", IdKind.WebhookSubscription),
        ("DELETE", "/api/v{version:apiVersion}/webhook-subscriptions/{id:guid}", IdKind.WebhookSubscription),
        ("POST", "/api/v{version:apiVersion}/webhook-subscriptions/{id:guid}/secret", IdKind.WebhookSubscription),
        ("POST", "/api/v{version:apiVersion}/webhook-subscriptions/{id:guid}/test", IdKind.WebhookSubscription),
        ("GET", "/api/v{version:apiVersion}/webhook-subscriptions/{id:guid}/deliveries", IdKind.WebhookSubscription),
        ("GET", "/api/v{version:apiVersion}/webhook-deliveries/{id:guid}", IdKind.WebhookDelivery),
        ("POST", "/api/v{version:apiVersion}/webhook-deliveries/{id:guid}/replay", IdKind.WebhookDelivery),
        ("GET", "/api/v{version:apiVersion}/analytics/definitions/{id:guid}", IdKind.FlowDefinition),
        ("PUT", "/api/v{version:apiVersion}/analytics/definitions/{id:guid}", IdKind.FlowDefinition),
        ("DELETE", "/api/v{version:apiVersion}/analytics/definitions/{id:guid}", IdKind.FlowDefinition),
        ("GET", "/api/v{version:apiVersion}/analytics/dashboards/{id:guid}", IdKind.Dashboard),
        ("PUT", "/api/v{version:apiVersion}/analytics/dashboards/{id:guid}", IdKind.Dashboard),
        ("DELETE", "/api/v{version:apiVersion}/analytics/dashboards/{id:guid}", IdKind.Dashboard),
        ("GET", "/api/v{version:apiVersion}/analytics/dashboards/{id:guid}/data", IdKind.Dashboard),
        ("GET", "/api/v{version:apiVersion}/analytics/dashboards/{id:guid}/widgets/{index:int}/svg", IdKind.Dashboard),
        ("GET", "/api/v{version:apiVersion}/report-schedules/{id:guid}", IdKind.ReportSchedule),
        ("PATCH", "/api/v{version:apiVersion}/report-schedules/{id:guid}", IdKind.ReportSchedule),
        ("DELETE", "/api/v{version:apiVersion}/report-schedules/{id:guid}", IdKind.ReportSchedule),
        ("POST", "/api/v{version:apiVersion}/report-schedules/{id:guid}/run", IdKind.ReportSchedule),
        ("GET", "/api/v{version:apiVersion}/report-schedules/{id:guid}/runs", IdKind.ReportSchedule),
    ];

    /// <summary>The request path for version 1 with the id filled in.</summary>
    public static string Path(string pattern, Guid id) =>
        pattern.Replace("{version:apiVersion}", "1", StringComparison.Ordinal)
            .Replace("{id:guid}", id.ToString(), StringComparison.Ordinal)
            .Replace("{userId:guid}", id.ToString(), StringComparison.Ordinal)
            .Replace("{number:int}", "1", StringComparison.Ordinal)
            .Replace("{index:int}", "0", StringComparison.Ordinal);
}
