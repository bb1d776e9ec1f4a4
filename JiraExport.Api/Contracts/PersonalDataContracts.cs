namespace JiraExport.Api.Contracts;

/// <summary>
/// Everything this tenant keeps about one person, machine-readable (GDPR Art. 15 and 20): the account as the tenant sees
/// it, the membership, sessions, security events, the audit trail of what they did, their exports, usage, invitations
/// and the report schedules that mail them.
/// </summary>
public sealed record PersonalDataResponse(
    DateTimeOffset ExportedAt,
    PersonalAccount Account,
    PersonalMembership Membership,
    IReadOnlyList<PersonalSession> Sessions,
    IReadOnlyList<PersonalSecurityEvent> SecurityEvents,
    IReadOnlyList<PersonalAuditEntry> AuditTrail,
    IReadOnlyList<PersonalExport> Exports,
    IReadOnlyList<PersonalUsage> Usage,
    IReadOnlyList<PersonalInvitation> Invitations,
    IReadOnlyList<PersonalReportSchedule> ReportSchedulesMailingThem);

public sealed record PersonalAccount(Guid Id, string? Email, string? DisplayName, DateTimeOffset CreatedAt, bool EmailConfirmed, bool TwoFactorEnabled);

public sealed record PersonalMembership(string Role, DateTimeOffset Since);

public sealed record PersonalSession(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent,
    DateTimeOffset? RevokedAt, string? RevokedReason);

public sealed record PersonalSecurityEvent(DateTimeOffset OccurredAt, string Type, string? IpAddress, string? Detail);

public sealed record PersonalAuditEntry(long Sequence, DateTimeOffset OccurredAt, string Action, string Method, string Target, int Status, string? IpAddress);

public sealed record PersonalExport(Guid Id, DateTimeOffset CreatedAt, string Format, string Template, string Status, int? IssueCount);

public sealed record PersonalUsage(DateOnly Day, string Endpoint, long Requests);

public sealed record PersonalInvitation(Guid Id, string Email, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record PersonalReportSchedule(Guid Id, string Name);

/// <summary>
/// What erasing a person from this tenant did: rows removed, rows kept for the tenant's history with the person replaced
/// by <c>pseudonym</c>, and whether the account itself was deleted (it is when no other tenant has the person).
/// </summary>
public sealed record ErasureResponse(
    Guid UserId, Guid Pseudonym, IReadOnlyDictionary<string, int> Removed, IReadOnlyDictionary<string, int> Pseudonymized, bool AccountDeleted);
