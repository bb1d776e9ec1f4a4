namespace JiraExport.Api.Contracts;

/// <summary><c>role</c>: owner, admin, member or viewer.</summary>
public sealed record InviteUserRequest(string? Email, string? Role);

public sealed record ChangeRoleRequest(string? Role);

public sealed record MemberResponse(Guid UserId, string Email, string? DisplayName, string Role, DateTimeOffset JoinedAt);

/// <summary>
/// <c>invitationToken</c> is present when the account is new: hand it to the person (there is no mail delivery yet),
/// who sets a password with it at <c>POST /api/v1/auth/accept-invitation</c>. It is shown once and expires in a day.
/// </summary>
public sealed record InvitedUserResponse(MemberResponse Member, string? InvitationToken);

public sealed record AcceptInvitationRequest(string? Email, string? Token, string? Password);
