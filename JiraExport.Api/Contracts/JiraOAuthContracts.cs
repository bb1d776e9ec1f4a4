using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

/// <summary><paramref name="SiteUrl"/> picks the site when the grant reaches several (e.g. https://acme.atlassian.net).</summary>
public sealed record StartJiraOAuthRequest(string? Name, string? SiteUrl) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        JiraOAuthApi.Validate(this).AsValidationResults();
}

public sealed record StartJiraOAuthResponse(Uri AuthorizeUrl, DateTimeOffset ExpiresAt);
