namespace JiraExport.Api.Contracts;

/// <summary><c>tenant</c> is a slug or id; it may be left out by a user who belongs to one tenant only.</summary>
public sealed record TokenRequest(string? Email, string? Password, string? Tenant);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record TokenPairResponse(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

public sealed record SessionResponse(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent, bool Current);

public sealed record SignupRequest(string? TenantName, string? Slug, string? Email, string? Password, string? DisplayName);

public sealed record SignupResponse(Guid TenantId, string Slug, Guid UserId, string Email);

public sealed record SecurityEventResponse(
    Guid Id, DateTimeOffset OccurredAt, string Type, Guid? UserId, Guid? SessionId, string? IpAddress, string? Detail);

public sealed record SecurityEventPage(IReadOnlyList<SecurityEventResponse> Items, string? NextCursor);
