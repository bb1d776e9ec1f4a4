namespace JiraExport.Core.Domain;

public sealed class Tenant : IVersionedResource
{
    public Guid Id { get; set; }

    /// <inheritdoc />
    public int Version { get; set; } = 1;

    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public TenantStatus Status { get; set; }

    /// <summary>When a tenant scheduled for deletion is purged: every row, file and queued message gone.</summary>
    public DateTimeOffset? PurgeAfter { get; set; }

    /// <summary>Last sequence number handed to a domain event of this tenant; bumped under a row lock.</summary>
    public long LastEventSequence { get; set; }

    /// <summary>Members without MFA get tokens without scopes, good only for enrolling, until they turn it on.</summary>
    public bool RequireMfa { get; set; }

    /// <summary>Concurrent sessions one user may hold in this tenant; null for no limit.</summary>
    public int? MaxSessionsPerUser { get; set; }
    public SessionLimitAction SessionLimitAction { get; set; }

    /// <summary>Accent colour of reports and the UI, as #rrggbb.</summary>
    public string? BrandColor { get; set; }
    public string? DefaultTemplate { get; set; }

    /// <summary>Days an export's file is kept after it is made; the tenant sets it (PATCH /api/v1/tenant).</summary>
    public int ExportRetentionDays { get; set; } = DefaultExportRetentionDays;

    public const int DefaultExportRetentionDays = 30;

    /// <summary>The plan's quotas; the platform admin sets them (PUT /api/v1/tenants/{id}/plan).</summary>
    public string PlanName { get; set; } = "standard";
    public int MaxConnections { get; set; } = 10;
    public int MaxExportsPerDay { get; set; } = 500;
    public int MaxStoredMegabytes { get; set; } = 2048;
    public int MaxApiRequestsPerMinute { get; set; } = 1200;
}

/// <summary>active → suspended (refused, data kept) → deletion scheduled → purged (the row is gone).</summary>
public enum TenantStatus
{
    Active,
    Suspended,
    DeletionScheduled,
}

/// <summary>What a sign-in beyond <see cref="Tenant.MaxSessionsPerUser"/> does.</summary>
public enum SessionLimitAction
{
    RefuseNew,
    EvictOldest,
}
