using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

/// <summary><c>exportRetentionDays</c>: how long an export's file is kept after it is made (default 30).</summary>
public sealed record TenantSettingsResponse(
    bool RequireMfa, int? MaxSessionsPerUser, string SessionLimitAction, string? BrandColor, string? DefaultTemplate, int ExportRetentionDays);

public sealed record TenantResponse(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt, TenantSettingsResponse Settings);

/// <summary>
/// Every field is optional; only those sent change. <c>maxSessionsPerUser</c>: 0 removes the limit.
/// <c>sessionLimitAction</c>: "refuse-new" or "evict-oldest". <c>brandColor</c>: "#rrggbb", or "" to clear.
/// <c>exportRetentionDays</c>: 1 to 3,650 days; applies to files already stored too (counted from their completion).
/// </summary>
public sealed record UpdateTenantRequest(
    string? Name, bool? RequireMfa, int? MaxSessionsPerUser, string? SessionLimitAction, string? BrandColor, string? DefaultTemplate,
    int? ExportRetentionDays = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TenantSettingsApi.Validate(this).AsValidationResults();
}

public sealed record PlanResponse(string Name, int MaxConnections, int MaxExportsPerDay, int MaxStoredMegabytes, int MaxApiRequestsPerMinute);

/// <summary>Sent by the platform admin; every quota is required.</summary>
public sealed record UpdatePlanRequest(
    [property: Required(ErrorMessage = PlanRules.Name), StringLength(50, ErrorMessage = PlanRules.Name)] string? Name,
    [property: Required(ErrorMessage = PlanRules.Quota), Range(1, PlanRules.MaxQuota, ErrorMessage = PlanRules.Quota)] int? MaxConnections,
    [property: Required(ErrorMessage = PlanRules.Quota), Range(1, PlanRules.MaxQuota, ErrorMessage = PlanRules.Quota)] int? MaxExportsPerDay,
    [property: Required(ErrorMessage = PlanRules.Quota), Range(1, PlanRules.MaxQuota, ErrorMessage = PlanRules.Quota)] int? MaxStoredMegabytes,
    [property: Required(ErrorMessage = PlanRules.Quota), Range(1, PlanRules.MaxQuota, ErrorMessage = PlanRules.Quota)] int? MaxApiRequestsPerMinute);

internal static class PlanRules
{
    public const int MaxQuota = 10_000_000;
    public const string Name = "A plan name of 1 to 50 characters is required.";
    public const string Quota = "A whole number from 1 to 10,000,000 is required.";
}

/// <summary>One UTC day of durable usage; API requests arrive in it within seconds.</summary>
public sealed record UsageDayResponse(DateOnly Day, long ApiRequests, int Exports, int RenderedPages, long StoredBytes, int SyncRuns, int Previews);

/// <summary>
/// The plan, current use against it, and the last 31 days of usage, newest first. <c>storedBytes</c>: what the tenant's
/// export files take now, against <c>storageLimitBytes</c> (the plan's <c>maxStoredMegabytes</c>).
/// </summary>
public sealed record UsageResponse(
    PlanResponse Plan, int Connections, int ExportsToday, DateTimeOffset ExportsResetAt, long StoredBytes, IReadOnlyList<UsageDayResponse> Days,
    long StorageLimitBytes = 0);

/// <summary>What each person and API key of the tenant did over a window of days: its requests by endpoint, and its exports.</summary>
public sealed record PeopleUsageResponse(DateOnly From, DateOnly To, IReadOnlyList<PrincipalUsageResponse> People);

/// <summary>
/// One person (<c>kind</c> <c>user</c>) or API key (<c>apiKey</c>). <c>name</c> is null once the person left the tenant or
/// the key was deleted; their counts stay.
/// </summary>
public sealed record PrincipalUsageResponse(
    string Kind, Guid Id, string? Name, long Requests, IReadOnlyList<EndpointUsageResponse> Endpoints, int Exports, IReadOnlyList<ExportUsageResponse> Exported);

/// <summary>Requests to one endpoint, by the name the API reference gives it (<c>CreateExport</c>).</summary>
public sealed record EndpointUsageResponse(string Endpoint, long Requests);

/// <summary>Exports of one format and template requested in the window, and the issues they held (once finished).</summary>
public sealed record ExportUsageResponse(string Format, string Template, int Exports, int Issues);
