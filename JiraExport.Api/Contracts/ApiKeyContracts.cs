using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

/// <summary><c>expiresAt</c> may be left out for a key that lives until revoked.</summary>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        ApiKeysApi.Validate(this, validationContext.GetRequiredService<TimeProvider>().GetUtcNow()).AsValidationResults();
}

public sealed record ApiKeyResponse(
    Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The key appears here once; only its hash is kept.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key);
