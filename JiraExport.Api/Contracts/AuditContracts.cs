namespace JiraExport.Api.Contracts;

/// <summary>One entry of the tenant's audit trail: who (a user's or API key's id) did what, to which path, and how it ended.</summary>
public sealed record AuditEntryResponse(
    long Sequence, DateTimeOffset OccurredAt, string ActorKind, Guid ActorId, string Action, string Method, string Target, int Status,
    string? IpAddress, string Hash);

/// <summary>Entries after a sequence, oldest first; ask again from <c>lastSequence</c> while <c>hasMore</c>.</summary>
public sealed record AuditLogPageResponse(IReadOnlyList<AuditEntryResponse> Items, long LastSequence, bool HasMore);

/// <summary>
/// The walk of the whole chain: <c>verified</c> when every entry is there, unchanged and in order up to the head; else the
/// first sequence where it breaks and why. Keep <c>headSequence</c> and <c>headHash</c> somewhere else and pass them
/// back as the anchor later: a chain rewritten before them is caught too.
/// </summary>
public sealed record AuditVerificationResponse(
    bool Verified, long Entries, long HeadSequence, string HeadHash, long? BrokenAtSequence, string? Problem);
