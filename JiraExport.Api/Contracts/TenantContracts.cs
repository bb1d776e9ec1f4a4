using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

public sealed record CreateTenantRequest(string? Name, string? Slug) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TenantValidation.Validate(this).AsValidationResults();
}

/// <summary>The API key appears here once; only its hash is kept.</summary>
public sealed record CreatedTenantResponse(Guid Id, string Name, string Slug, string ApiKey);

/// <summary><c>purgeAfterDays</c>: the grace period before every trace of the tenant is purged (default 30, 0 = at once).</summary>
public sealed record ScheduleDeletionRequest(
    [property: Range(0, 365, ErrorMessage = "Give a grace period of 0 to 365 days.")] int? PurgeAfterDays);

public sealed record TenantStatusResponse(Guid Id, string Status, DateTimeOffset? PurgeAfter);
