using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;

namespace JiraExport.Api.Contracts;

/// <summary>
/// One routing rule: the events it matches (by type, connection and project; a list left out or empty matches any) and
/// whether they reach the hub's followers (an export's, a project's, an issue's groups) and the webhook subscriptions.
/// </summary>
public sealed record EventRoutingRuleRequest(
    IReadOnlyList<string>? EventTypes, IReadOnlyList<Guid>? ConnectionIds, IReadOnlyList<string>? ProjectKeys, bool? ToFollowers, bool? ToWebhooks);

/// <summary>The tenant's rules, in order: the first that matches an event decides; an event no rule matches goes everywhere.</summary>
public sealed record EventRoutingRequest(IReadOnlyList<EventRoutingRuleRequest?>? Rules) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        TenantEventRoutingApi.Validate(this).AsValidationResults();
}

public sealed record EventRoutingRuleResponse(
    IReadOnlyList<string> EventTypes, IReadOnlyList<Guid> ConnectionIds, IReadOnlyList<string> ProjectKeys, bool ToFollowers, bool ToWebhooks);

/// <summary><paramref name="UpdatedAt"/> is null while the tenant has never set rules.</summary>
public sealed record EventRoutingResponse(IReadOnlyList<EventRoutingRuleResponse> Rules, DateTimeOffset? UpdatedAt);
