namespace JiraExport.Core.Messaging;

/// <summary>Work item: render export <paramref name="ExportId"/> of <paramref name="TenantId"/>.</summary>
public sealed record ExportRequested(Guid TenantId, Guid ExportId);

/// <summary>
/// What Realtime pushes to clients. <paramref name="Sequence"/> is the tenant's domain-event sequence, so a
/// client can tell it missed something and re-read over REST.
/// </summary>
public sealed record ExportEvent(
    Guid TenantId,
    Guid ExportId,
    long Sequence,
    string Status,
    int Progress,
    string? Message,
    int? IssueCount,
    string? FileName,
    long? SizeBytes);

public static class ExportEventTypes
{
    public const string Aggregate = "export";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
