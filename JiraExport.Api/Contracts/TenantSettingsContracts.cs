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
