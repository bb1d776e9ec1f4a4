namespace JiraExport.Api.Contracts;

public sealed record TenantSettingsResponse(
    bool RequireMfa, int? MaxSessionsPerUser, string SessionLimitAction, string? BrandColor, string? DefaultTemplate);

public sealed record TenantResponse(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt, TenantSettingsResponse Settings);

/// <summary>
/// Every field is optional; only those sent change. <c>maxSessionsPerUser</c>: 0 removes the limit.
/// <c>sessionLimitAction</c>: "refuse-new" or "evict-oldest". <c>brandColor</c>: "#rrggbb", or "" to clear.
/// </summary>
public sealed record UpdateTenantRequest(
    string? Name, bool? RequireMfa, int? MaxSessionsPerUser, string? SessionLimitAction, string? BrandColor, string? DefaultTemplate);

public sealed record PlanResponse(string Name, int MaxConnections, int MaxExportsPerDay, int MaxStoredMegabytes, int MaxApiRequestsPerMinute);

/// <summary>Sent by the platform admin; every quota is required.</summary>
public sealed record UpdatePlanRequest(string? Name, int? MaxConnections, int? MaxExportsPerDay, int? MaxStoredMegabytes, int? MaxApiRequestsPerMinute);

/// <summary>One UTC day of durable usage; API requests arrive in it within seconds.</summary>
public sealed record UsageDayResponse(DateOnly Day, long ApiRequests, int Exports, int RenderedPages, long StoredBytes, int SyncRuns);

/// <summary>The plan, current use against it, and the last 31 days of usage, newest first.</summary>
public sealed record UsageResponse(
    PlanResponse Plan, int Connections, int ExportsToday, DateTimeOffset ExportsResetAt, long StoredBytes, IReadOnlyList<UsageDayResponse> Days);
