namespace JiraExport.Core.Domain;

public enum JiraDeployment
{
    Cloud,
    DataCenter,
}

/// <summary>What the last health check found: every node answering, some failing or slow, or none answering.</summary>
public enum ConnectionHealth
{
    Unknown,
    Healthy,
    Degraded,
    Down,
}

public enum JiraAuthType
{
    Basic,
    Bearer,
    OAuth,
}

/// <summary>A tenant's Jira instance. The credential is encrypted with ASP.NET Core Data Protection.</summary>
public sealed class JiraConnection : IVersionedResource
{
    public Guid Id { get; set; }
    /// <inheritdoc />
    public int Version { get; set; } = 1;

    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string BaseUrl { get; set; }

    /// <summary>
    /// Other nodes serving the same site (Data Center nodes, a disaster-recovery copy), tried in order when the ones
    /// before them fail.
    /// </summary>
    public List<string> FailoverBaseUrls { get; set; } = [];
    public JiraDeployment Deployment { get; set; }
    public JiraAuthType AuthType { get; set; }

    /// <summary>Data-Protection-encrypted JSON of the credential (email + API token, or a personal access token).</summary>
    public required string EncryptedCredential { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The secret Jira signs this connection's webhook deliveries with (<c>X-Hub-Signature</c>), encrypted for the tenant;
    /// null until one is made (<c>PUT …/webhook</c>), and deliveries are refused until then.
    /// </summary>
    public string? WebhookSecretProtected { get; set; }

    /// <summary>When the last verified webhook delivery arrived: whether Jira's events reach us.</summary>
    public DateTimeOffset? LastWebhookAt { get; set; }

    /// <summary>
    /// The dynamic webhook Jira sends an OAuth connection's events with (<c>POST /rest/api/3/webhook</c>): its id, when
    /// it expires unless refreshed, the sync scope it was registered for (a new scope registers it again), and the last
    /// attempt to register or refresh it and why it failed.
    /// </summary>
    public long? DynamicWebhookId { get; set; }

    /// <inheritdoc cref="DynamicWebhookId"/>
    public DateTimeOffset? DynamicWebhookExpiresAt { get; set; }

    /// <summary>
    /// The SHA-256 of the key in the dynamic webhook's URL (<c>?key=</c>). Jira's JWT is signed with our app's one secret
    /// and names no connection, so the key is what ties a delivery to this connection.
    /// </summary>
    public byte[]? DynamicWebhookKeyHash { get; set; }

    /// <inheritdoc cref="DynamicWebhookId"/>
    public string? DynamicWebhookScope { get; set; }

    /// <inheritdoc cref="DynamicWebhookId"/>
    public DateTimeOffset? DynamicWebhookAttemptedAt { get; set; }

    /// <inheritdoc cref="DynamicWebhookId"/>
    public string? DynamicWebhookError { get; set; }

    /// <summary>The scope the last sync request named (JQL without ordering); later requests and schedules may omit it.</summary>
    public string? SyncScopeJql { get; set; }

    /// <summary>Changes before this instant are in the store; incremental syncs read from it (less an overlap).</summary>
    public DateTimeOffset? SyncWatermark { get; set; }

    /// <summary>A hash of what shaped the stored data (scope, fields); when it changes the watermark no longer holds.</summary>
    public string? SyncFingerprint { get; set; }

    /// <summary>This site's own cap on requests in flight; null takes <c>Jira:MaxConcurrentRequestsPerSite</c>.</summary>
    public int? MaxConcurrentRequests { get; set; }

    /// <summary>This site's own steady request rate; null takes <c>Jira:RequestsPerSecondPerSite</c>.</summary>
    public int? RequestsPerSecond { get; set; }

    public ConnectionHealth Health { get; set; }
    public DateTimeOffset? HealthCheckedAt { get; set; }

    /// <summary>The last check, node by node, as JSON (<c>ConnectionHealthReport</c>).</summary>
    public string? HealthReport { get; set; }
}
