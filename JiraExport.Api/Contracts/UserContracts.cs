using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

/// <summary><c>role</c>: owner, admin, member or viewer.</summary>
public sealed record InviteUserRequest(string? Email, string? Role) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        InvitationsApi.Validate(this).AsValidationResults();
}

public sealed record ChangeRoleRequest(string? Role) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        UsersApi.Validate(this).AsValidationResults();
}

public sealed record MemberResponse(Guid UserId, string Email, string? DisplayName, string Role, DateTimeOffset JoinedAt);

/// <summary>
/// An invitation waiting for its person: the token goes to the invited mailbox only, never to the inviting tenant.
/// <c>status</c>: pending, accepted, revoked or expired.
/// </summary>
public sealed record InvitationResponse(Guid Id, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status);

/// <summary><c>password</c> is for a new account only: an existing one keeps its own.</summary>
public sealed record AcceptInvitationRequest(string? Token, string? Password, string? DisplayName);

public sealed record AcceptedInvitationResponse(Guid TenantId, string Tenant, Guid UserId, string Email, string Role, bool AccountCreated);
