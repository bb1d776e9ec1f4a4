using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;

namespace JiraExport.Api.Contracts;

/// <summary><c>tenant</c> is a slug or id; it may be left out by a user who belongs to one tenant only.</summary>
public sealed record TokenRequest(string? Email, string? Password, string? Tenant) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        AuthApi.Validate(this).AsValidationResults();
}

public sealed record RefreshRequest(string? RefreshToken) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        AuthApi.Validate(this).AsValidationResults();
}

/// <summary>
/// <c>mfaEnrollmentRequired</c> appears when the tenant requires MFA and the account has none yet: the access token
/// then carries no scopes and serves only to turn MFA on (POST /api/v1/auth/mfa/setup, /enable), then refresh.
/// </summary>
public sealed record TokenPairResponse(
    string AccessToken,
    string RefreshToken,
    int ExpiresIn,
    string TokenType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool MfaEnrollmentRequired = false);

public sealed record SessionResponse(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent, bool Current);

public sealed record SignupRequest(string? TenantName, string? Slug, string? Email, string? Password, string? DisplayName) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        SignupApi.Validate(this).AsValidationResults();
}

/// <summary>The owner's email is not yet verified: a mail with a token went to it (see <c>POST /api/v1/auth/verify-email</c>).</summary>
public sealed record SignupResponse(Guid TenantId, string Slug, Guid UserId, string Email, bool EmailVerificationSent);

/// <summary>The password proves the person who signed up; the token, the mailbox.</summary>
public sealed record VerifyEmailRequest(string? Email, string? Token, string? Password);

public sealed record SecurityEventResponse(
    Guid Id, DateTimeOffset OccurredAt, string Type, Guid? UserId, Guid? SessionId, string? IpAddress, string? Detail);

public sealed record SecurityEventPage(IReadOnlyList<SecurityEventResponse> Items, string? NextCursor);

/// <summary>Answered instead of tokens when the account has MFA on: send the code with the token to /auth/mfa.</summary>
public sealed record MfaChallengeResponse(bool MfaRequired, string MfaToken);

/// <summary><c>code</c>: the 6 digits of the authenticator app, or one of the recovery codes.</summary>
public sealed record MfaVerifyRequest(string? MfaToken, string? Code) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        MfaApi.Validate(this).AsValidationResults();
}

/// <summary><c>password</c>: the account's current one, needed to turn MFA on (a stolen session alone must not).</summary>
public sealed record MfaCodeRequest(string? Code, string? Password = null);

public sealed record MfaSetupResponse(string Secret, string OtpauthUri);

/// <summary>Shown once; each code works once, and only their hashes are kept.</summary>
public sealed record MfaEnabledResponse(IReadOnlyList<string> RecoveryCodes);
