namespace JiraExport.Core.Messaging;

/// <summary>
/// What a domain event is about: its aggregate, and what subscriptions and routing rules filter on (the connection, an
/// export's template, the projects: an issue's, or those an export's JQL names).
/// </summary>
public sealed record EventSubject(
    Guid TenantId, string Aggregate, Guid AggregateId, Guid? ConnectionId, string? Template = null, IReadOnlyList<string>? ProjectKeys = null)
{
    public IReadOnlyList<string> Projects => ProjectKeys ?? [];
}
