using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

/// <summary><paramref name="FailoverBaseUrls"/>: other nodes of the same site (Data Center nodes, a disaster-recovery copy), tried in order.</summary>
public sealed record CreateConnectionRequest(
    string? Name, string? BaseUrl, string? Deployment, ConnectionAuthRequest? Auth, IReadOnlyList<string>? FailoverBaseUrls = null,
    ConnectionLimitsRequest? Limits = null) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        ConnectionValidation.Validate(this).AsValidationResults();
}

/// <summary>This site's own request limits; either may be left out to take the deployment's default.</summary>
public sealed record ConnectionLimitsRequest(int? MaxConcurrentRequests, int? RequestsPerSecond);

/// <summary><c>{type:"basic", email, apiToken}</c> or <c>{type:"bearer", token}</c>.</summary>
public sealed record ConnectionAuthRequest(string? Type, string? Email, string? ApiToken, string? Token);

/// <summary>A connection as clients see it: secrets are never echoed.</summary>
public sealed record ConnectionResponse(
    Guid Id, string Name, string BaseUrl, IReadOnlyList<string> FailoverBaseUrls, string Deployment, string AuthType, string Health,
    DateTimeOffset? HealthCheckedAt, DateTimeOffset CreatedAt, ConnectionLimitsRequest? Limits);

public sealed record ConnectionTestResponse(bool Ok, string? DisplayName, string? Error);
